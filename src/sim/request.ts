// One HTTP request as the front end (IIS W3SVC1 + HttpProxy) and back end (IIS W3SVC2) log it.
import { csvField } from './csv.js';
import type { DayClock } from './clock.js';
import { w3c } from './w3c.js';
import type { World } from './world.js';
import type { Rng } from './rng.js';

export interface BackendHop {
  stem: string;
  /** without '?' */
  query: string;
  /** cs-username on the back end ('' = '-') */
  user: string;
  status: number;
  /** c-ip on the back end; default the front end's own address */
  ip?: string;
  /** user agent on the back end; default the client's */
  ua?: string;
}

export interface Req {
  t: number;
  method: string;
  stem: string;
  /** the client's query without '?' and without the correlation data Exchange appends */
  query: string;
  /** cs-username on the front end ('' = '-') */
  user: string;
  ip: string;
  ua: string;
  referer?: string;
  status: number;
  sub?: number;
  win32?: number;
  ms: number;
  /** HttpProxy protocol folder; null when the front end serves the request itself (no HttpProxy row) */
  proto: string | null;
  /** request id Exchange appends as cafeReqId and logs as RequestId */
  id: string;
  /** OWA adds '&encoding=;' to the logged query */
  owa?: boolean;
  /** whether Exchange appends '&CorrelationID=<empty>;&cafeReqId=…;' (requests through Exchange modules) */
  corr?: boolean;
  port?: number;
  // HttpProxy columns
  host?: string;
  action?: string;
  authType?: string;
  /** AuthenticatedUser column */
  authUser?: string;
  anchor?: string;
  routingHint?: string;
  beStatus?: number;
  reqBytes?: number;
  respBytes?: number;
  clientRequestId?: string;
  errorCode?: string;
  genericErrors?: string;
  /** false: the request went straight to the back end (no front-end line) */
  frontEnd?: boolean;
  /** the proxied request on the back end; undefined = none logged */
  be?: BackendHop;
}

/** A request with every field present in one fixed order (one hidden class: the bulk path stays monomorphic). */
export function newReq(t: number, id: string, method: string, stem: string, query: string, user: string, ip: string, ua: string, status: number, ms: number, proto: string | null): Req {
  return {
    t, method, stem, query, user, ip, ua, referer: undefined, status, sub: undefined, win32: undefined, ms, proto, id,
    owa: undefined, corr: undefined, port: undefined, host: undefined, action: undefined, authType: undefined, authUser: undefined,
    anchor: undefined, routingHint: undefined, beStatus: undefined, reqBytes: undefined, respBytes: undefined,
    clientRequestId: undefined, errorCode: undefined, genericErrors: undefined, frontEnd: undefined, be: undefined,
  };
}

const UA_W3C = new Map<string, string>();
const UA_CSV = new Map<string, string>();
function cached(m: Map<string, string>, k: string, f: (s: string) => string): string {
  let v = m.get(k);
  if (v === undefined) {
    v = f(k);
    if (m.size < 4096) m.set(k, v);
  }
  return v;
}

function corrSuffix(r: Req): string {
  return '&CorrelationID=<empty>;&cafeReqId=' + r.id + ';' + (r.owa === true ? '&encoding=;' : '');
}

export function iisFrontLine(r: Req, clock: DayClock, w: World): string {
  const q = r.corr === false ? r.query : r.query + corrSuffix(r);
  return (
    clock.iis(r.t) + ' ' + w.serverIp + ' ' + r.method + ' ' + r.stem + ' ' + w3c(q) + ' ' + (r.port ?? 443) + ' ' +
    w3c(r.user) + ' ' + r.ip + ' ' + cached(UA_W3C, r.ua, w3c) + ' ' + w3c(r.referer ?? '') + ' ' + r.status + ' ' +
    (r.sub ?? 0) + ' ' + (r.win32 ?? 0) + ' ' + r.ms
  );
}

// The back end logs the query as received, without the front end's correlation suffix ([inferred]: public
// detections of OWASSRF match ' POST /powershell - 444 ' on W3SVC2, research §4.4).
export function iisBackLine(r: Req, be: BackendHop, clock: DayClock, w: World): string {
  return (
    clock.iis(r.t) + ' ' + w.serverIp + ' ' + r.method + ' ' + be.stem + ' ' + w3c(be.query) +
    ' 444 ' + w3c(be.user) + ' ' + (be.ip ?? w.serverIp) + ' ' + cached(UA_W3C, be.ua ?? r.ua, w3c) + ' - ' + be.status + ' 0 0 ' +
    Math.max(1, r.ms - 3)
  );
}

/** Precomputed latency columns (TargetOutstandingRequests … RouteRefresherLatency, 32 columns). */
export class LatencyPool {
  private readonly pool: string[] = [];
  constructor(r: Rng) {
    for (let i = 0; i < 256; i++) {
      const v: string[] = [];
      v.push('0'); // TargetOutstandingRequests
      v.push('');  // AuthModulePerfContext
      for (let k = 0; k < 30; k++) v.push(k % 5 === 3 ? '' : String(r.int(k === 29 ? 400 : 12)));
      this.pool.push(v.join(','));
    }
  }
  get(r: Rng): string {
    return this.pool[r.u32() & 255] as string;
  }
}

export function httpProxyRow(r: Req, clock: DayClock, w: World, lat: LatencyPool, rng: Rng): string {
  const time = clock.exch(r.t);
  const [ma, mi, bu, re] = w.buildParts;
  const q = r.query === '' ? '' : '?' + r.query;
  const beStatus = r.beStatus ?? (r.status < 400 ? r.status : '');
  const user = r.authUser ?? '';
  const gi =
    'BeginRequest=' + time + ';CorrelationID=<empty>;ProxyState-Run=None;FEAuth=BEVersion-1942062522;' +
    'ProxyState-Complete=ProxyResponseData;SharedCacheGuard=0;EndRequest=' + time + ';';
  return (
    time + ',' + r.id + ',' + ma + ',' + mi + ',' + bu + ',' + re + ',' + (r.clientRequestId ?? '') + ',' + r.proto + ',' +
    (r.host ?? w.publicHost) + ',' + csvField(r.stem) + ',' + (r.action ?? '') + ',' + (r.authType ?? '') + ',' +
    (user === '' ? 'false' : 'true') + ',' + csvField(user) + ',,' + csvField(r.anchor ?? '') + ',' +
    cached(UA_CSV, r.ua, csvField) + ',' + r.ip + ',' + w.host + ',' + r.status + ',' + beStatus + ',' +
    (r.errorCode ?? '') + ',' + r.method + ',Proxy,' + w.fqdn + ',' + w.buildLong + ',' + 'Anchor' + ',' +
    csvField(r.routingHint ?? '') + ',,' + w.fqdn + ',0,' + (r.reqBytes ?? 0) + ',' + (r.respBytes ?? 0) + ',' +
    lat.get(rng) + ',' + csvField(q) + ',,' + csvField(gi) + ',' + csvField(r.genericErrors ?? '') + ',,,,,CafeV1'
  );
}
