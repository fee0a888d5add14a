// `exhunt probe`: a safe, read-only remote check of Exchange servers the user owns. It fetches the OWA
// and ECP login pages, reads the build from versioned resource paths and the X-OWA-Version header,
// and maps it to missing fixes. The optional SSRF check sends one harmless request (see SSRF_CHECK).
import { compareBuild, parseBuild } from './build-parse.js';
import { loadKnowledge, type Knowledge } from './build-data.js';
import { hasSecurityUpdate, identifyBuild, missingFixes, productOf } from './knowledge.js';
import { buildFromPage } from './owa-page.js';
import { httpGet, type HttpOptions, type HttpResult } from './probe-http.js';
import type { ProbeTarget } from './probe-targets.js';

export interface ProbeOptions extends HttpOptions {
  retries: number;
  concurrency: number;
  maxRedirects: number;
  checkSsrf: boolean;
}

export const DEFAULT_PROBE: ProbeOptions = { timeoutMs: 8000, maxBytes: 2 << 20, insecure: false, retries: 1, concurrency: 32, maxRedirects: 5, checkSsrf: false };

/** Exactly what the SSRF check sends (also printed by --help). */
export const SSRF_CHECK = {
  path: '/ecp/x.js',
  cookie: 'X-BEResource=localhost/owa/auth/logon.aspx?~3',
  explain:
    'GET /ecp/x.js twice: once plain, once with the cookie "X-BEResource=localhost/owa/auth/logon.aspx?~3". ' +
    'The cookie names the server itself (localhost) and its own public logon page; there is no payload, no ' +
    'authentication attempt and nothing is written. An unpatched server routes the request to that backend and ' +
    'says so in the X-CalculatedBETarget response header (the test Microsoft\'s nmap script uses); a server with the ' +
    'EOMT URL Rewrite rule aborts the connection; a patched server answers both requests alike.',
};

export type FamilyProbeState = 'fixed' | 'vulnerable' | 'unknown' | 'not-affected';

export interface ProbeResult {
  target: string;
  url: string;
  status: 'ok' | 'no-build' | 'unreachable';
  error?: string;
  attempts: number;
  durationMs: number;
  tls?: { authorized: boolean; error?: string };
  http: { path: string; status?: number; redirects: string[]; truncated?: boolean; error?: string }[];
  build?: string;
  buildPrecision?: 'su' | 'cu';
  buildSeen: { from: string; value: string; build: string }[];
  product?: string;
  cu?: string;
  su?: string;
  outOfSupport?: boolean;
  missing: { cve: string; su: string; kbs: string[]; fixedBuild?: string; status: string }[];
  families: Record<string, FamilyProbeState>;
  ssrf?: { verdict: 'vulnerable' | 'mitigated-rewrite' | 'not-vulnerable' | 'inconclusive'; detail: string; baselineStatus?: number; probeStatus?: number; calculatedBeTarget?: string };
  notes: string[];
}

async function withRetries(fn: () => Promise<HttpResult>, retries: number, counter: { n: number }): Promise<HttpResult> {
  let r: HttpResult = await fn();
  counter.n++;
  // refused, timed out and TLS failures are answers, not glitches: retrying them only multiplies the cost of dead hosts
  for (let i = 0; i < retries && !r.ok && !['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND'].includes(r.code) && !/CERT|TLS/.test(r.code); i++) {
    await new Promise((res) => setTimeout(res, 200 * (i + 1)));
    r = await fn();
    counter.n++;
  }
  return r;
}

/** GET a path, following redirects only within the same scheme, host and port. */
async function fetchPage(base: URL, path: string, o: ProbeOptions, counter: { n: number }): Promise<{ res: HttpResult; redirects: string[] }> {
  let url = new URL(path, base);
  const redirects: string[] = [];
  const seen = new Set<string>([url.href]);
  for (;;) {
    const res = await withRetries(() => httpGet(url, o), o.retries, counter);
    if (!res.ok || res.status < 300 || res.status >= 400 || typeof res.headers.location !== 'string') return { res, redirects };
    let next: URL;
    try { next = new URL(res.headers.location, url); } catch { return { res, redirects }; }
    if (next.host !== base.host || next.protocol !== base.protocol) { redirects.push(`${next.href.slice(0, 200)} (other host: not followed)`); return { res, redirects }; }
    if (seen.has(next.href)) { redirects.push(`${next.pathname} (loop)`); return { res, redirects }; }
    if (redirects.length >= o.maxRedirects) { redirects.push(`${next.pathname} (more than ${o.maxRedirects} redirects)`); return { res, redirects }; }
    redirects.push(next.pathname + next.search.slice(0, 100));
    seen.add(next.href);
    url = next;
  }
}

function familyStates(build: string, k: Knowledge): Record<string, FamilyProbeState> {
  const b = parseBuild(build)!;
  const out: Record<string, FamilyProbeState> = {};
  for (const f of k.data.families) {
    if (f.fixedBy === 'extended-protection') { out[f.id] = 'unknown'; continue; }
    const fixedBy = f.id === 'proxyshell' ? 'May21SU' : f.fixedBy;
    const has = hasSecurityUpdate(b, fixedBy, k);
    if (has === undefined || !productOf(b) || !k.suById.get(f.fixedBy)?.cves.some((c) => f.cves.includes(c.id) && c.products.includes(productOf(b)!))) { out[f.id] = 'not-affected'; continue; }
    if (has) { out[f.id] = 'fixed'; continue; }
    if (b.revision === undefined) {
      // three-part build: the SU level is invisible unless this CU never got the SU
      const ownCu = (k.suReleases.get(fixedBy) ?? []).some((r) => r.parsed.major === b.major && r.parsed.minor === b.minor && r.parsed.build === b.build);
      out[f.id] = ownCu ? 'unknown' : 'vulnerable';
    } else out[f.id] = 'vulnerable';
  }
  return out;
}

async function ssrfCheck(base: URL, o: ProbeOptions, counter: { n: number }): Promise<NonNullable<ProbeResult['ssrf']>> {
  const url = new URL(SSRF_CHECK.path, base);
  const plain = await httpGet(url, o);
  counter.n++;
  const probe = await httpGet(url, { ...o, headers: { ...o.headers, cookie: SSRF_CHECK.cookie } });
  counter.n++;
  const out: NonNullable<ProbeResult['ssrf']> = { verdict: 'inconclusive', detail: '' };
  if (plain.ok) out.baselineStatus = plain.status;
  if (probe.ok) out.probeStatus = probe.status;
  if (probe.ok) {
    const be = probe.headers['x-calculatedbetarget'];
    const v = Array.isArray(be) ? be[0] : be;
    if (v) out.calculatedBeTarget = v.slice(0, 200);
    if (v && /localhost/i.test(v)) { out.verdict = 'vulnerable'; out.detail = 'the server routed the request to the backend named in the X-BEResource cookie (CVE-2021-26855)'; }
    else if (plain.ok && plain.status === probe.status) { out.verdict = 'not-vulnerable'; out.detail = 'the cookie changed nothing: the answer matches the plain request'; }
    else { out.detail = `answers differ (${plain.ok ? plain.status : plain.code} vs ${probe.status}) without the SSRF header`; }
  } else if (plain.ok && (probe.code === 'ECONNRESET' || probe.code === 'ETIMEDOUT')) {
    out.verdict = 'mitigated-rewrite';
    out.detail = `the request with the cookie was aborted (${probe.code}) while the plain one was answered: consistent with the EOMT URL Rewrite rule`;
  } else out.detail = `no answer (${probe.ok ? '' : probe.error})`;
  return out;
}

export async function probeHost(t: ProbeTarget, o: ProbeOptions, k: Knowledge = loadKnowledge()): Promise<ProbeResult> {
  const started = Date.now();
  const base = new URL(`${t.scheme}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}/`);
  const counter = { n: 0 };
  const r: ProbeResult = { target: t.input, url: base.origin, status: 'unreachable', attempts: 0, durationMs: 0, http: [], buildSeen: [], missing: [], families: {}, notes: [] };
  const seen: ProbeResult['buildSeen'] = [];
  let reached = false;
  for (const path of ['/owa/auth/logon.aspx', '/ecp/']) {
    const { res, redirects } = await fetchPage(base, path, o, counter);
    const h: ProbeResult['http'][number] = { path, redirects };
    if (!res.ok) {
      h.error = res.error;
      r.http.push(h);
      if (!reached) { r.error = res.error; if (res.code === 'ECONNREFUSED' || res.code === 'ETIMEDOUT' || res.code === 'ENOTFOUND') break; }
      continue;
    }
    reached = true;
    h.status = res.status;
    if (res.truncated) { h.truncated = true; r.notes.push(`${path}: answer larger than ${o.maxBytes} bytes; read the start only`); }
    if (res.tlsAuthorized !== undefined) r.tls = { authorized: res.tlsAuthorized, ...(res.tlsError ? { error: res.tlsError } : {}) };
    r.http.push(h);
    const pb = buildFromPage(res.body, res.headers);
    for (const s of pb.seen) if (!seen.some((x) => x.build === s.build && x.from === s.from)) seen.push({ ...s, value: `${path}: ${s.value}` });
  }
  if (reached) {
    delete r.error;
    r.status = 'no-build';
    r.buildSeen = seen;
    const best = [...seen].sort((a, b) => {
      const pa = parseBuild(a.build)!, pb = parseBuild(b.build)!;
      return ((pb.revision !== undefined ? 1 : 0) - (pa.revision !== undefined ? 1 : 0)) || compareBuild(pb, pa);
    })[0];
    if (best) {
      const id = identifyBuild(best.build, k);
      r.status = 'ok';
      r.build = id.build;
      r.buildPrecision = id.revisionKnown ? 'su' : 'cu';
      if (id.product) r.product = id.productName ?? id.product;
      if (id.cu) r.cu = id.cu;
      if (id.su) r.su = id.su;
      if (id.outOfSupport !== undefined) r.outOfSupport = id.outOfSupport;
      r.notes.push(...id.notes);
      r.missing = missingFixes(best.build, {}, k).map((m) => ({ cve: m.cve, su: m.su, kbs: m.kbs, ...(m.fixedBuild ? { fixedBuild: m.fixedBuild } : {}), status: m.status }));
      r.families = familyStates(best.build, k);
    } else r.notes.push('reachable, but no Exchange build in the OWA/ECP pages or headers');
    if (o.checkSsrf) r.ssrf = await ssrfCheck(base, o, counter);
  }
  r.attempts = counter.n;
  r.durationMs = Date.now() - started;
  return r;
}

/**
 * Probe many targets with at most `concurrency` in flight. `onResult` sees each result as it completes;
 * with keep=false nothing is accumulated (memory stays flat over large ranges) and [] is returned,
 * otherwise results come back in input order.
 */
export async function probeMany(targets: Iterable<ProbeTarget>, o: ProbeOptions, onResult?: (r: ProbeResult, done: number) => void, keep = true): Promise<ProbeResult[]> {
  const k = loadKnowledge();
  const it = targets[Symbol.iterator]();
  const results: ProbeResult[] = [];
  let index = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = it.next();
      if (n.done) return;
      const i = index++;
      const r = await probeHost(n.value, o, k);
      if (keep) results[i] = r;
      done++;
      onResult?.(r, done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return results;
}
