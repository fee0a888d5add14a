// Which build ran on which day, from the build numbers the logs record (HttpProxy #Version header and
// MajorVersion..RevisionVersion columns, ECP S:BLD, EWS, IIS headers). Memory is bounded by days x builds.
import type { Evidence } from '../../types.js';
import { compareBuild, formatBuild, parseBuild, type Build } from './build-parse.js';

export interface BuildObservation {
  time: number;
  build: string;
  source: Evidence;
  /** 'backend' for values naming another server (HttpProxy TargetServerVersion); default 'self' */
  role?: 'self' | 'backend';
}

export interface TimelineBuild { build: string; count: number; first: number; last: number; evidence: Evidence }
export interface TimelineDay { day: string; builds: TimelineBuild[] }
export interface TimelineSegment { build: string; from: string; to: string; days: number; firstTime: number; lastTime: number; evidence: Evidence }

export interface TimelineAccumulator {
  days: Map<string, Map<string, TimelineBuild>>;
  backend: Map<string, TimelineBuild>;
  rejected: number;
}

const MAX_DAYS = 20_000;
const MAX_BUILDS_PER_DAY = 64;
const EXCERPT = 300;

export function createTimelineAccumulator(): TimelineAccumulator {
  return { days: new Map(), backend: new Map(), rejected: 0 };
}

function dayOf(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function trimEvidence(e: Evidence): Evidence {
  return e.excerpt.length > EXCERPT ? { ...e, excerpt: e.excerpt.slice(0, EXCERPT) } : e;
}

function bump(m: Map<string, TimelineBuild>, key: string, o: BuildObservation): void {
  const cur = m.get(key);
  if (cur) {
    cur.count++;
    if (o.time < cur.first) { cur.first = o.time; cur.evidence = trimEvidence(o.source); }
    if (o.time > cur.last) cur.last = o.time;
  } else if (m.size < MAX_BUILDS_PER_DAY) {
    m.set(key, { build: key, count: 1, first: o.time, last: o.time, evidence: trimEvidence(o.source) });
  }
}

/** Add one observation; unparsable builds and times are counted as rejected. */
export function accumulateObservation(acc: TimelineAccumulator, o: BuildObservation): void {
  const b = parseBuild(o.build);
  if (!b || !Number.isFinite(o.time)) { acc.rejected++; return; }
  const key = formatBuild(b);
  if (o.role === 'backend') { bump(acc.backend, key, o); return; }
  const day = dayOf(o.time);
  let m = acc.days.get(day);
  if (!m) {
    if (acc.days.size >= MAX_DAYS) { acc.rejected++; return; }
    m = new Map();
    acc.days.set(day, m);
  }
  bump(m, key, o);
}

function highest(builds: TimelineBuild[]): TimelineBuild {
  return builds.reduce((a, x) => (compareBuild(parseBuild(x.build)!, parseBuild(a.build)!) > 0 ? x : a));
}

/** Days in order, each with its builds (highest first). */
export function timelineDays(acc: TimelineAccumulator): TimelineDay[] {
  return [...acc.days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, m]) => ({ day, builds: [...m.values()].sort((x, y) => compareBuild(parseBuild(y.build)!, parseBuild(x.build)!)) }));
}

/**
 * Runs of days with the same highest build (an upgrade mid-day shows both builds that day; the
 * higher one is what ran at the end of it). Days without observations do not break a run.
 */
export function timelineSegments(days: TimelineDay[]): TimelineSegment[] {
  const out: TimelineSegment[] = [];
  for (const d of days) {
    if (d.builds.length === 0) continue;
    const top = highest(d.builds);
    const last = out[out.length - 1];
    if (last && last.build === top.build) {
      last.to = d.day;
      last.days++;
      last.lastTime = Math.max(last.lastTime, top.last);
    } else {
      out.push({ build: top.build, from: d.day, to: d.day, days: 1, firstTime: top.first, lastTime: top.last, evidence: top.evidence });
    }
  }
  return out;
}

/** The build the logs show on a given day (highest seen that day or, failing that, the last day before it). */
export function buildOnDay(days: TimelineDay[], day: string): Build | undefined {
  let found: TimelineDay | undefined;
  for (const d of days) {
    if (d.day > day) break;
    found = d;
  }
  return found && found.builds.length > 0 ? parseBuild(highest(found.builds).build) : undefined;
}
