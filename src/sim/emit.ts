// Writes simulator events to their log files and records the ground truth for marked ones.
import { DAY, DayClock, exchTime } from './clock.js';
import { innerBreaks, rowFrom } from './csv.js';
import { ECP_FIELDS, EWS_FIELDS, MSGTRK_FIELDS, RPS_CMDLET_FIELDS, RPS_HTTP_FIELDS } from './fields.js';
import { logTypeOf, type Family, type Logs, type ProxyProtocol } from './logs.js';
import { writeHttpProxy, writeIisBack, writeIisFront, type LatencyPool, type Req } from './request.js';
import type { Rng } from './rng.js';
import type { CollectionWriter } from './sink.js';
import type { DecoyItem, Mark, TruthItem } from './truth.js';
import type { World } from './world.js';
import { cmdletEvent, type EventLogName, type EventLogs, type SimEvtx } from './event-logs.js';

export type CsvFamily = 'ecp-server' | 'ecp-activity' | 'ews' | 'rps-cmdlet' | 'rps-http' | 'message-tracking';

export type SimEvent =
  | { kind: 'http'; t: number; req: Req; mark?: Mark; decoy?: string }
  | { kind: 'csv'; t: number; family: CsvFamily; rec: Record<string, string>; mark?: Mark; decoy?: string }
  | { kind: 'text'; t: number; family: 'oab-generator'; text: string; mark?: Mark }
  | { kind: 'file'; t: number; logical: string; content: string | Uint8Array; mark?: Mark }
  | { kind: 'evtx'; t: number; log: EventLogName; event: SimEvtx; mark?: Mark }
  | { kind: 'iis-restart'; t: number };

const FIELDS: Record<CsvFamily, readonly string[]> = {
  'ecp-server': ECP_FIELDS,
  'ecp-activity': ECP_FIELDS,
  ews: EWS_FIELDS,
  'rps-cmdlet': RPS_CMDLET_FIELDS,
  'rps-http': RPS_HTTP_FIELDS,
  'message-tracking': MSGTRK_FIELDS,
};
const TIME_FIELD: Record<CsvFamily, string> = {
  'ecp-server': 'TimeStamp',
  'ecp-activity': 'TimeStamp',
  ews: 'DateTime',
  'rps-cmdlet': 'DateTime',
  'rps-http': 'DateTime',
  'message-tracking': 'date-time',
};

export interface EmitOptions {
  /** write the back-end side logs (EWS rows, Rps_Http rows) for bulk requests */
  sideLogs: boolean;
  /** collect Windows event log records (undefined: none are written) */
  events?: EventLogs;
}

export class Emitter {
  readonly truth: TruthItem[] = [];
  readonly decoys: DecoyItem[] = [];
  private clock = new DayClock(0);

  constructor(
    private readonly logs: Logs,
    private readonly out: CollectionWriter,
    private readonly w: World,
    private readonly lat: LatencyPool,
    private readonly rng: Rng,
    private readonly opts: EmitOptions,
  ) {}

  private clockFor(t: number): DayClock {
    if (t < this.clock.dayStart || t >= this.clock.dayStart + DAY) this.clock = new DayClock(t - (t % DAY));
    return this.clock;
  }

  private record(m: Mark, t: number, kind: TruthItem['kind'], path: string, expect: string, line?: number, family?: Family): void {
    const item: TruthItem = {
      scenario: m.scenario, step: m.step, stage: m.stage, cves: m.cves, time: exchTime(t), attackerIp: m.ip,
      kind, path, expect, source: m.source,
    };
    if (line !== undefined) item.line = line;
    if (m.context === true) item.context = true;
    if (family !== undefined) item.logType = logTypeOf(family);
    this.truth.push(item);
  }

  emit(ev: SimEvent): void {
    switch (ev.kind) {
      case 'http':
        return this.http(ev.req, ev.mark, ev.decoy);
      case 'csv': {
        const rec = { ...ev.rec, [TIME_FIELD[ev.family]]: exchTime(ev.t) };
        const row = rowFrom(FIELDS[ev.family], rec);
        const f = this.logs.file(ev.family, ev.t);
        const line = f.line(row, ev.t, innerBreaks(row));
        if (ev.mark) this.record(ev.mark, ev.t, 'log-line', f.path, ev.mark.expect?.row ?? '', line, ev.family);
        if (ev.decoy !== undefined) this.decoys.push({ what: ev.decoy, path: f.path, line });
        // remote PowerShell cmdlets are also logged to the MSExchange Management event log (research §4.2.2)
        const events = this.opts.events;
        if (ev.family === 'rps-cmdlet' && events !== undefined) {
          const cmdlet = ev.rec['Cmdlet'] ?? '';
          const record = events.add('MSExchange Management', ev.t,
            cmdletEvent(this.w, cmdlet, ev.rec['Parameters'] ?? '', ev.rec['AuthenticatedUser'] ?? '', ev.rec['ExecutingUserSid'] ?? ''));
          if (ev.mark) this.truth.push(events.mark('MSExchange Management', record, ev.mark, ev.t, ev.mark.expect?.event ?? ev.mark.expect?.row ?? cmdlet));
          if (ev.decoy !== undefined) this.decoys.push(events.decoy('MSExchange Management', record, ev.decoy));
        }
        return;
      }
      case 'evtx': {
        const ev2 = ev;
        const events = this.opts.events;
        if (events === undefined) return;
        const record = events.add(ev2.log, ev2.t, ev2.event);
        if (ev2.mark) this.truth.push(events.mark(ev2.log, record, ev2.mark, ev2.t, ev2.mark.expect?.event ?? ''));
        return;
      }
      case 'text': {
        const f = this.logs.file(ev.family, ev.t);
        const line = f.line(ev.text, ev.t, innerBreaks(ev.text));
        if (ev.mark) this.record(ev.mark, ev.t, 'log-line', f.path, ev.mark.expect?.row ?? '', line, ev.family);
        return;
      }
      case 'file': {
        const path = this.out.writeFile(ev.logical, ev.content, ev.t);
        if (ev.mark) this.record(ev.mark, ev.t, 'file', path, ev.mark.expect?.file ?? '');
        return;
      }
      case 'iis-restart':
        this.logs.iisRestart('iis-fe', ev.t);
        this.logs.iisRestart('iis-be', ev.t);
        return;
    }
  }

  /** One request: front-end IIS line, HttpProxy row, back-end IIS line, and back-end side logs. */
  http(r: Req, mark?: Mark, decoy?: string): void {
    const clock = this.clockFor(r.t);
    if (mark !== undefined || decoy !== undefined) return this.markedHttp(r, clock, mark, decoy);
    // the bulk path: no truth bookkeeping
    if (r.frontEnd !== false) writeIisFront(this.logs.file('iis-fe', r.t), r, clock, this.w);
    if (r.proto !== null) writeHttpProxy(this.logs.file(('httpproxy/' + r.proto) as Family, r.t), r, clock, this.w, this.lat, this.rng);
    const be = r.be;
    if (be !== undefined) {
      writeIisBack(this.logs.file('iis-be', r.t), r, be, clock, this.w);
      if (this.opts.sideLogs && be.status < 400 && (r.proto === 'Ews' || r.proto === 'PowerShell')) this.sideLogs(r);
    }
  }

  private markedHttp(r: Req, clock: DayClock, mark: Mark | undefined, decoy: string | undefined): void {
    const wants = (o: 'fe' | 'proxy' | 'be'): boolean => mark !== undefined && (mark.only === undefined || mark.only.includes(o));
    if (r.frontEnd !== false) {
      const fe = this.logs.file('iis-fe', r.t);
      const feLine = writeIisFront(fe, r, clock, this.w);
      if (mark && wants('fe')) this.record(mark, r.t, 'log-line', fe.path, mark.expect?.fe ?? r.method + ' ' + r.stem, feLine, 'iis-fe');
      if (decoy !== undefined) this.decoys.push({ what: decoy, path: fe.path, line: feLine });
    }
    if (r.proto !== null) {
      const fam = ('httpproxy/' + r.proto) as `httpproxy/${ProxyProtocol}`;
      const hp = this.logs.file(fam, r.t);
      const line = writeHttpProxy(hp, r, clock, this.w, this.lat, this.rng);
      if (mark && wants('proxy')) this.record(mark, r.t, 'log-line', hp.path, mark.expect?.proxy ?? (r.anchor || r.stem), line, fam);
      if (decoy !== undefined) this.decoys.push({ what: decoy, path: hp.path, line });
    }
    if (r.be !== undefined) {
      const be = this.logs.file('iis-be', r.t);
      const line = writeIisBack(be, r, r.be, clock, this.w);
      if (mark && wants('be')) this.record(mark, r.t, 'log-line', be.path, mark.expect?.be ?? r.method + ' ' + r.be.stem, line, 'iis-be');
      if (decoy !== undefined) this.decoys.push({ what: decoy, path: be.path, line });
      if (this.opts.sideLogs && r.be.status < 400 && mark === undefined) this.sideLogs(r, decoy);
    }
  }

  /** Back-end application logs for ordinary requests (EWS rows, remote PowerShell HTTP rows). */
  private sideLogs(r: Req, decoy?: string): void {
    const d = decoy === undefined ? {} : { decoy };
    const [ma, mi, bu, re] = this.w.buildParts;
    if (r.proto === 'Ews') {
      this.emit({
        kind: 'csv', t: r.t, family: 'ews', ...d,
        rec: {
          RequestId: r.id, MajorVersion: ma, MinorVersion: mi, BuildVersion: bu, RevisionVersion: re,
          AuthenticationType: r.authType ?? 'Negotiate', IsAuthenticated: 'true', AuthenticatedUser: r.authUser ?? '',
          UserAgent: r.ua, VersionInfo: 'Exchange2013_SP1', ClientIpAddress: r.ip, ServerHostName: this.w.host,
          FrontEndServer: this.w.fqdn, SoapAction: r.action ?? 'GetItem', HttpStatus: String(r.be?.status ?? 200),
          RequestSize: String(r.reqBytes ?? 0), ResponseSize: String(r.respBytes ?? 0), CorrelationGuid: r.id,
          PrimaryOrProxyServer: this.w.fqdn, TaskType: 'Foreground', TotalRequestTime: String(r.ms),
        },
      });
    } else if (r.proto === 'PowerShell') {
      this.emit({
        kind: 'csv', t: r.t, family: 'rps-http', ...d,
        rec: {
          StartTime: exchTime(r.t - r.ms), RequestId: r.id, MajorVersion: ma, MinorVersion: mi, BuildVersion: bu,
          RevisionVersion: re, UrlHost: this.w.fqdn, UrlStem: '/powershell', AuthenticationType: 'Kerberos',
          IsAuthenticated: 'true', AuthenticatedUser: r.authUser ?? '', ClientIpAddress: r.ip, ServerHostName: this.w.host,
          HttpStatus: '200', SubStatus: '0', ClientApplication: 'Microsoft WinRM Client', UserAgent: r.ua,
          UrlQuery: r.query === '' ? '' : '?' + r.query,
          GenericInfo: 'OnEndRequest.End.ContentType=application/soap+xml charset UTF-8;S:ServiceCommonMetadata.HttpMethod=POST;',
        },
      });
    }
  }
}
