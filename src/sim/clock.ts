// Timestamp rendering for the log formats, from precomputed pieces (hot path: one call per log line).

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? '0' + i : String(i));

/** 'yyyy-mm-dd' of an epoch ms (UTC) */
export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** 'hh:mm:ss' of the ms offset inside a day */
export function hms(msOfDay: number): string {
  const s = Math.floor(msOfDay / 1000);
  return (PAD2[Math.floor(s / 3600)] as string) + ':' + (PAD2[Math.floor(s / 60) % 60] as string) + ':' + (PAD2[s % 60] as string);
}

/** One UTC day: its 'yyyy-mm-dd' and start, for rendering times of that day. */
export class DayClock {
  readonly dayStart: number;
  readonly day: string;
  constructor(dayStart: number) {
    this.dayStart = dayStart;
    this.day = isoDay(dayStart);
  }
  iis(t: number): string {
    return this.day + ' ' + hms(t - this.dayStart);
  }
}

/** The byte-writer side of LogFile that time rendering needs. */
export interface DigitSink {
  s(str: string): void;
  ch(code: number): void;
  digits(v: number, width: number): void;
}

/** 'yyyy-mm-dd<sep>hh:mm:ss' of time t, within the clock's day */
function writeDayTime(f: DigitSink, clock: DayClock, t: number, sep: number): number {
  const off = t - clock.dayStart;
  const sec = Math.floor(off / 1000);
  f.s(clock.day);
  f.ch(sep);
  f.digits(Math.floor(sec / 3600), 2);
  f.ch(58);
  f.digits(Math.floor(sec / 60) % 60, 2);
  f.ch(58);
  f.digits(sec % 60, 2);
  return off;
}

/** 'yyyy-mm-dd hh:mm:ss' (IIS) written straight into a log */
export function writeIisTime(f: DigitSink, clock: DayClock, t: number): void {
  writeDayTime(f, clock, t, 32);
}

/** 'yyyy-mm-ddThh:mm:ss.fffZ' (Exchange) written straight into a log */
export function writeExchTime(f: DigitSink, clock: DayClock, t: number): void {
  const off = writeDayTime(f, clock, t, 84);
  f.ch(46);
  f.digits(off % 1000, 3);
  f.ch(90);
}

export function iisTime(t: number): string {
  return new DayClock(t - (t % DAY)).iis(t);
}
export function exchTime(t: number): string {
  return new Date(t).toISOString();
}
/** 'yyyymmdd' */
export function ymd(t: number): string {
  return isoDay(t).replace(/-/g, '');
}
/** 'yymmdd' (IIS daily file names) */
export function yymmdd(t: number): string {
  return ymd(t).slice(2);
}
/** 'yyyymmddhh' (Exchange hourly file names) */
export function ymdh(t: number): string {
  return ymd(t) + (PAD2[new Date(t).getUTCHours()] as string);
}
