// Every log family the simulator writes: where its files live, how they are named, rolled and headed.
// Paths follow research exchange-detections.md §5.2; [assumed] marks names not attested publicly.
import { DAY, HOUR, ymd, ymdh, yymmdd, exchTime, iisTime } from './clock.js';
import { exchangeHeader } from './csv.js';
import { ECP_FIELDS, EWS_FIELDS, HTTPPROXY_FIELDS, MSGTRK_FIELDS, RPS_CMDLET_FIELDS, RPS_HTTP_FIELDS } from './fields.js';
import { EXV15 } from './layout.js';
import type { CollectionWriter, LogFile } from './sink.js';
import { iisHeader } from './w3c.js';
import type { World } from './world.js';

export const HTTPPROXY_PROTOCOLS = ['Autodiscover', 'Eas', 'Ecp', 'Ews', 'Mapi', 'Oab', 'Owa', 'OwaCalendar', 'PowerShell', 'RpcHttp'] as const;
export type ProxyProtocol = (typeof HTTPPROXY_PROTOCOLS)[number];

/** Log family ids; 'httpproxy/<Protocol>' for the proxy logs. Values match the LogType names in src/types.ts. */
export type Family =
  | 'iis-fe' | 'iis-be' | `httpproxy/${ProxyProtocol}` | 'ecp-server' | 'ecp-activity' | 'ews' | 'rps-cmdlet'
  | 'rps-http' | 'oab-generator' | 'message-tracking';

interface Spec {
  period: 'hour' | 'day';
  path(t: number): string;
  header(t: number): string[];
  bom: boolean;
}

/** LogType (src/types.ts) of each family, for the ground truth. */
export function logTypeOf(f: Family): string {
  if (f === 'iis-fe' || f === 'iis-be') return 'iis';
  if (f.startsWith('httpproxy/')) return f.toLowerCase();
  return f;
}

// The ECP Activity file name carries the w3wp process id
const ECP_PID = 7424;

function specs(w: World): (f: Family) => Spec {
  const csv = (version: string, type: string, fields: readonly string[]) => (t: number) =>
    exchangeHeader(version, type, exchTime(t), fields);
  return (f) => {
    if (f === 'iis-fe' || f === 'iis-be') {
      const site = f === 'iis-fe' ? 'W3SVC1' : 'W3SVC2';
      return { period: 'day', bom: false, path: (t) => `inetpub/logs/LogFiles/${site}/u_ex${yymmdd(t)}.log`, header: (t) => iisHeader(iisTime(t)) };
    }
    if (f.startsWith('httpproxy/')) {
      const proto = f.slice('httpproxy/'.length);
      // BOM on HttpProxy files [assumed: "a BOM is common" per research §5.3]
      return { period: 'hour', bom: true, path: (t) => `${EXV15}/Logging/HttpProxy/${proto}/HttpProxy_${ymdh(t)}-1.LOG`, header: csv(w.buildLong, 'HttpProxy Logs', HTTPPROXY_FIELDS) };
    }
    switch (f) {
      case 'ecp-server':
        return { period: 'day', bom: false, path: (t) => `${EXV15}/Logging/ECP/Server/ECPServer${ymd(t)}-1.LOG`, header: csv('15.0.0.0', 'ECP Server Log', ECP_FIELDS) };
      case 'ecp-activity':
        return { period: 'day', bom: false, path: (t) => `${EXV15}/Logging/ECP/Activity/ECPActivity_${ECP_PID}_${ymd(t)}-1.LOG`, header: csv('15.0.0.0', 'ECP Activity Context Log', ECP_FIELDS) };
      case 'ews':
        return { period: 'hour', bom: true, path: (t) => `${EXV15}/Logging/Ews/Ews_${ymdh(t)}-1.LOG`, header: csv(w.buildLong, 'EWS Logs', EWS_FIELDS) };
      case 'rps-cmdlet':
        return { period: 'hour', bom: true, path: (t) => `${EXV15}/Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_${ymdh(t)}-1.LOG`, header: csv(w.buildLong, 'Rps Cmdlet Logs', RPS_CMDLET_FIELDS) };
      case 'rps-http':
        // folder and Log-type [assumed] (research §4.4/§7 q7)
        return { period: 'hour', bom: true, path: (t) => `${EXV15}/Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_${ymdh(t)}-1.LOG`, header: csv(w.buildLong, 'Rps Http Logs', RPS_HTTP_FIELDS) };
      case 'message-tracking':
        // daily file; the name carries the hour the file was started (00) [assumed]
        return { period: 'day', bom: false, path: (t) => `${EXV15}/TransportRoles/Logs/MessageTracking/MSGTRK${ymd(t)}00-1.LOG`, header: csv(w.buildLong, 'Message Tracking Log', MSGTRK_FIELDS) };
      case 'oab-generator':
        // format not public (research §5.7): plain text lines, no header block [assumed]
        return { period: 'day', bom: false, path: (t) => `${EXV15}/Logging/OABGeneratorLog/OABGeneratorLog_${ymd(t)}-1.LOG`, header: () => [] };
      default:
        throw new Error('unknown family ' + f);
    }
  };
}

/** Opens files lazily on first write, rolls them hourly/daily, closes them when their period ends. */
export class Logs {
  private readonly open = new Map<Family, { file: LogFile; period: number; end: number }>();
  private readonly specs = new Map<Family, Spec>();
  private readonly make: (f: Family) => Spec;

  constructor(private readonly out: CollectionWriter, w: World) {
    this.make = specs(w);
  }

  private spec(f: Family): Spec {
    let s = this.specs.get(f);
    if (s === undefined) {
      s = this.make(f);
      this.specs.set(f, s);
    }
    return s;
  }

  /** the file a line at time t goes to (opened with its header if needed) */
  file(f: Family, t: number): LogFile {
    const cur = this.open.get(f);
    if (cur !== undefined && t >= cur.period && t < cur.end) return cur.file;
    const s = this.spec(f);
    const len = s.period === 'hour' ? HOUR : DAY;
    const period = t - (t % len);
    if (cur !== undefined) {
      // reopening an earlier period would truncate it: events must arrive in time order
      if (period < cur.period) throw new Error(`sim: ${f} event at ${new Date(t).toISOString()} is out of order`);
      this.out.close(cur.file);
    }
    const file = this.out.open(s.path(period), { bom: s.bom });
    for (const h of s.header(t)) file.line(h, t);
    this.open.set(f, { file, period, end: period + len });
    return file;
  }

  /** IIS re-emits its header block after a restart or configuration change */
  iisRestart(f: 'iis-fe' | 'iis-be', t: number): void {
    const cur = this.open.get(f);
    if (cur === undefined) return;
    for (const h of iisHeader(iisTime(t))) cur.file.line(h, t);
  }

  /** closes files whose period ended before t */
  rollTo(t: number): void {
    for (const [f, cur] of this.open) {
      if (cur.end <= t) {
        this.out.close(cur.file);
        this.open.delete(f);
      }
    }
  }

  closeAll(): void {
    for (const cur of this.open.values()) this.out.close(cur.file);
    this.open.clear();
  }
}
