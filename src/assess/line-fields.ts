// A few fields read back from a finding's raw log line: the user agent, the AnchorMailbox routing value,
// request/response bytes. Findings keep the raw line, not the parsed record, so the line is split again
// here in the logs' default column order; a line in another order simply yields nothing.
import { parseCsvRecord } from '../readers/csv-record.js';

export interface LineFields {
  userAgent?: string;
  anchorMailbox?: string;
  protocol?: string;
  stem?: string;
  method?: string;
  status?: string;
  requestBytes?: number;
  responseBytes?: number;
}

// Exchange 2013-2019 HttpProxy log columns, in the order the #Fields header of every HttpProxy log gives.
const HTTPPROXY = ['DateTime', 'RequestId', 'MajorVersion', 'MinorVersion', 'BuildVersion', 'RevisionVersion', 'ClientRequestId', 'Protocol', 'UrlHost',
  'UrlStem', 'ProtocolAction', 'AuthenticationType', 'IsAuthenticated', 'AuthenticatedUser', 'Organization', 'AnchorMailbox', 'UserAgent',
  'ClientIpAddress', 'ServerHostName', 'HttpStatus', 'BackEndStatus', 'ErrorCode', 'Method', 'ProxyAction', 'TargetServer',
  'TargetServerVersion', 'RoutingType', 'RoutingHint', 'BackEndCookie', 'ServerLocatorHost', 'ServerLocatorLatency', 'RequestBytes', 'ResponseBytes'] as const;
const col = (name: (typeof HTTPPROXY)[number]): number => HTTPPROXY.indexOf(name);

const IIS_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /;
const num = (v: string | undefined): number | undefined => (v && /^\d{1,15}$/.test(v) ? Number(v) : undefined);
const val = (v: string | undefined): string | undefined => (v && v !== '-' ? v : undefined);

export function lineFields(logType: string | undefined, excerpt: string): LineFields {
  if (logType === 'iis' && IIS_DATE.test(excerpt)) return iisFields(excerpt);
  if (logType?.startsWith('httpproxy/')) return httpProxyFields(excerpt);
  return {};
}

// IIS W3C in the field set Exchange setup enables: date time s-ip cs-method cs-uri-stem cs-uri-query s-port
// cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
function iisFields(line: string): LineFields {
  const t = line.split(' ');
  if (t.length !== 15) return {};
  const out: LineFields = {};
  const ua = val(t[9]);
  if (ua) out.userAgent = ua.replace(/\+/g, ' ');
  const m = val(t[3]);
  if (m) out.method = m;
  const s = val(t[4]);
  if (s) out.stem = s;
  const st = val(t[11]);
  if (st) out.status = st;
  return out;
}

function httpProxyFields(line: string): LineFields {
  const buf = Buffer.from(line, 'utf8');
  const rec = parseCsvRecord(buf, 0, buf.length, true);
  if (!rec || rec.values.length < col('UserAgent') + 1) return {};
  const v = rec.values;
  const out: LineFields = {};
  const ua = val(v[col('UserAgent')]);
  if (ua) out.userAgent = ua;
  const am = val(v[col('AnchorMailbox')]);
  if (am) out.anchorMailbox = am;
  const p = val(v[col('Protocol')]);
  if (p) out.protocol = p;
  const s = val(v[col('UrlStem')]);
  if (s) out.stem = s;
  const m = val(v[col('Method')]);
  if (m) out.method = m;
  const st = val(v[col('HttpStatus')]);
  if (st) out.status = st;
  const rq = num(v[col('RequestBytes')]);
  if (rq !== undefined) out.requestBytes = rq;
  const rs = num(v[col('ResponseBytes')]);
  if (rs !== undefined) out.responseBytes = rs;
  return out;
}
