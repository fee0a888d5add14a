// One HTTP request as the front end (IIS W3SVC1 + HttpProxy) and back end (IIS W3SVC2) log it.
import { writeExchTime, writeIisTime, type DayClock } from './clock.js';
import { csvField } from './csv.js';
import type { LogFile } from './sink.js';
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

// Encoded forms of user agents (few distinct values, long, on every line)
const UA_W3C = new Map<string, Buffer>();
const UA_CSV = new Map<string, Buffer>();
function encoded(m: Map<string, Buffer>, ua: string, form: (s: string) => string): Buffer {
  let b = m.get(ua);
  if (b === undefined) {
    b = Buffer.from(form(ua), 'utf8');
    if (m.size < 4096) m.set(ua, b);
  }
  return b;
}

function writeCorr(f: LogFile, r: Req): void {
  f.s('&CorrelationID=<empty>;&cafeReqId=');
  f.s(r.id);
  f.ch(59);
  if (r.owa === true) f.s('&encoding=;');
}

/** The front-end (W3SVC1) line; returns its line number. */
export function writeIisFront(f: LogFile, r: Req, clock: DayClock, w: World): number {
  writeIisTime(f, clock, r.t);
  f.ch(32); f.s(w.serverIp);
  f.ch(32); f.s(r.method);
  f.ch(32); f.s(r.stem);
  f.ch(32);
  if (r.corr === false) f.w(r.query);
  else {
    // Exchange appends its correlation data to the logged query (research §5.8)
    f.w(r.query);
    writeCorr(f, r);
  }
  f.ch(32); f.n(r.port ?? 443);
  f.ch(32); f.w(r.user);
  f.ch(32); f.s(r.ip);
  f.ch(32); f.b(encoded(UA_W3C, r.ua, w3c));
  f.ch(32); f.w(r.referer ?? '');
  f.ch(32); f.n(r.status);
  f.ch(32); f.n(r.sub ?? 0);
  f.ch(32); f.n(r.win32 ?? 0);
  f.ch(32); f.n(r.ms);
  return f.end(r.t);
}

// The back end logs the query as received, without the front end's correlation suffix ([inferred]: public
// detections of OWASSRF match ' POST /powershell - 444 ' on W3SVC2, research §4.4).
export function writeIisBack(f: LogFile, r: Req, be: BackendHop, clock: DayClock, w: World): number {
  writeIisTime(f, clock, r.t);
  f.ch(32); f.s(w.serverIp);
  f.ch(32); f.s(r.method);
  f.ch(32); f.s(be.stem);
  f.ch(32); f.w(be.query);
  f.s(' 444 '); f.w(be.user);
  f.ch(32); f.s(be.ip ?? w.serverIp);
  f.ch(32); f.b(encoded(UA_W3C, be.ua ?? r.ua, w3c));
  f.s(' - '); f.n(be.status);
  f.s(' 0 0 '); f.n(Math.max(1, r.ms - 3));
  return f.end(r.t);
}

/** Precomputed latency columns (TargetOutstandingRequests … RouteRefresherLatency, 32 columns). */
export class LatencyPool {
  private readonly pool: Buffer[] = [];
  constructor(r: Rng) {
    for (let i = 0; i < 256; i++) {
      const v: string[] = [];
      v.push('0'); // TargetOutstandingRequests
      v.push('');  // AuthModulePerfContext
      for (let k = 0; k < 30; k++) v.push(k % 5 === 3 ? '' : String(r.int(k === 29 ? 400 : 12)));
      this.pool.push(Buffer.from(v.join(','), 'latin1'));
    }
  }
  get(r: Rng): Buffer {
    return this.pool[r.u32() & 255] as Buffer;
  }
}

const GI_MIDDLE = Buffer.from(';CorrelationID=<empty>;ProxyState-Run=None;FEAuth=BEVersion-1942062522;ProxyState-Complete=ProxyResponseData;SharedCacheGuard=0;EndRequest=', 'latin1');

/** The HttpProxy row (74 columns, research §5.4); returns its line number. */
export function writeHttpProxy(f: LogFile, r: Req, clock: DayClock, w: World, lat: LatencyPool, rng: Rng): number {
  const user = r.authUser ?? '';
  writeExchTime(f, clock, r.t);
  f.ch(44); f.s(r.id);
  f.ch(44); f.s(w.buildCsv);
  f.ch(44); f.c(r.clientRequestId ?? '');
  f.ch(44); f.s(r.proto ?? '');
  f.ch(44); f.c(r.host ?? w.publicHost);
  f.ch(44); f.c(r.stem);
  f.ch(44); f.c(r.action ?? '');
  f.ch(44); f.c(r.authType ?? '');
  f.ch(44); f.s(user === '' ? 'false' : 'true');
  f.ch(44); f.c(user);
  f.s(',,'); f.c(r.anchor ?? '');
  f.ch(44); f.b(encoded(UA_CSV, r.ua, csvField));
  f.ch(44); f.s(r.ip);
  f.ch(44); f.s(w.host);
  f.ch(44); f.n(r.status);
  f.ch(44);
  const be = r.beStatus ?? (r.status < 400 ? r.status : -1);
  if (be >= 0) f.n(be);
  f.ch(44); f.c(r.errorCode ?? '');
  f.ch(44); f.s(r.method);
  f.s(',Proxy,'); f.s(w.fqdn);
  f.ch(44); f.s(w.buildLong);
  f.s(',Anchor,'); f.c(r.routingHint ?? '');
  f.s(',,'); f.s(w.fqdn);
  f.s(',0,'); f.n(r.reqBytes ?? 0);
  f.ch(44); f.n(r.respBytes ?? 0);
  f.ch(44); f.b(lat.get(rng));
  f.ch(44);
  if (r.query !== '') {
    if (!/[^\x20-\x7e]|[",]/.test(r.query)) {
      f.ch(63);
      f.c(r.query);
    } else f.c('?' + r.query);
  }
  // GenericInfo: no comma or quote can occur in it, written unquoted
  f.s(',,BeginRequest=');
  writeExchTime(f, clock, r.t);
  f.b(GI_MIDDLE);
  writeExchTime(f, clock, r.t);
  f.s(';,');
  f.c(r.genericErrors ?? '');
  f.s(',,,,,CafeV1');
  return f.end(r.t);
}
