// Tie file findings to the IIS / HttpProxy requests that reached them: first and last request, source
// addresses, statuses, how many. A page requested with 200 from outside was used, not just dropped.
import type { Evidence } from '../../types.js';
import { refresh, type WebFileFinding } from './finding.js';
import { locateWebFile } from './web-paths.js';
import { isInternalIp } from '../entities.js';

export interface WebRequest {
  /** epoch ms */
  time: number;
  /** URI stem */
  path: string;
  ip: string;
  status: string;
  method: string;
  evidence: Evidence;
}

export interface RequestSummary {
  stem: string;
  count: number;
  first: number;
  last: number;
  firstEvidence: Evidence;
  lastEvidence: Evidence;
  /** distinct source addresses (first 50) */
  ips: string[];
  statuses: Record<string, number>;
  methods: Record<string, number>;
  /** requests answered 200 to an address outside private, loopback and link-local ranges */
  okFromOutside: number;
}

const MAX_IPS = 50;

/** The URI stem a file is served under, when its folder maps to a known site path. */
export function stemFor(path: string, vdirs: readonly string[] = []): string | undefined {
  const loc = locateWebFile(path, vdirs);
  if (!loc) return undefined;
  if (loc.area === 'exchange-web' && loc.exchangeRel) {
    const rel = loc.exchangeRel.replace(/^(frontend\/httpproxy|clientaccess)\//, '');
    return `/${rel}`;
  }
  if (loc.area === 'iis-web') return `/${loc.canonical.replace(/^inetpub\/[^/]+\//, '')}`;
  return undefined;
}

function normStem(s: string): string {
  let v = s;
  try {
    v = decodeURIComponent(s);
  } catch {
    /* keep as logged */
  }
  return v.replace(/\\/g, '/').replace(/\/{2,}/g, '/').toLowerCase();
}

export function linkRequests(findings: WebFileFinding[], requests: WebRequest[], vdirs: readonly string[] = []): WebFileFinding[] {
  const byStem = new Map<string, WebFileFinding[]>();
  for (const f of findings) {
    const stem = stemFor(f.evidence.path, vdirs);
    if (!stem) continue;
    const k = normStem(stem);
    const list = byStem.get(k) ?? [];
    list.push(f);
    byStem.set(k, list);
  }
  if (byStem.size === 0) return findings;
  const sums = new Map<WebFileFinding, RequestSummary>();
  const ipSets = new Map<WebFileFinding, Set<string>>();
  for (const r of requests) {
    const hits = byStem.get(normStem(r.path));
    if (!hits) continue;
    for (const f of hits) {
      let s = sums.get(f);
      if (!s) {
        s = { stem: r.path, count: 0, first: r.time, last: r.time, firstEvidence: r.evidence, lastEvidence: r.evidence, ips: [], statuses: {}, methods: {}, okFromOutside: 0 };
        sums.set(f, s);
        ipSets.set(f, new Set());
      }
      s.count++;
      if (r.time < s.first || !Number.isFinite(s.first)) (s.first = r.time), (s.firstEvidence = r.evidence);
      if (r.time > s.last || !Number.isFinite(s.last)) (s.last = r.time), (s.lastEvidence = r.evidence);
      const ips = ipSets.get(f) as Set<string>;
      if (!ips.has(r.ip) && ips.size < MAX_IPS) ips.add(r.ip);
      s.statuses[r.status] = (s.statuses[r.status] ?? 0) + 1;
      s.methods[r.method] = (s.methods[r.method] ?? 0) + 1;
      if (r.status === '200' && !isInternalIp(r.ip)) s.okFromOutside++;
    }
  }
  for (const [f, s] of sums) {
    s.ips = [...(ipSets.get(f) ?? [])];
    f.webFile.requests = s;
    const when = `${new Date(s.first).toISOString()} to ${new Date(s.last).toISOString()}`;
    if (s.okFromOutside > 0) {
      f.webFile.signals.push({ id: 'requests:ok-outside', points: 20, text: `requested ${s.count} times (${s.okFromOutside} answered 200 to outside addresses) from ${s.ips.length} address(es), ${when}` });
    } else {
      f.webFile.signals.push({ id: 'requests:seen', points: 5, text: `requested ${s.count} times from ${s.ips.length} address(es), ${when}, never answered 200 to an outside address` });
    }
    for (const ip of s.ips) if (!f.entities.ips.includes(ip)) f.entities.ips.push(ip);
    if (Number.isFinite(s.first) && (f.time === undefined || s.first < f.time)) f.time = s.first;
    refresh(f);
  }
  return findings;
}
