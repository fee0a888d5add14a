// Reading a saved JSON result back (exhunt report, exhunt timeline): the schema version is checked, ISO
// times become epoch ms again, and the investigation answers are derived afresh from the findings, so a
// result from an older exhunt gets today's answers and nothing stale is trusted.
import { investigate } from '../assess/investigate.js';
import type { CoverageEntry, Finding, HostAssessment, LogSpan, ScanResult } from '../types.js';
import { SCHEMA_VERSION } from './json.js';

export class ResultError extends Error {}

const ms = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function setTime<T extends object>(o: T, key: string, v: unknown): void {
  const t = ms(v);
  const r = o as Record<string, unknown>;
  if (t === undefined) delete r[key];
  else r[key] = t;
}

/** Parses the text of `exhunt scan --format json`; throws ResultError with a message for the user. */
export function parseResult(text: string, name = 'result'): ScanResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ResultError(`${name}: not JSON (${(e as Error).message.slice(0, 120)})`);
  }
  const r = obj(raw);
  const v = r['schemaVersion'];
  if (v === undefined) throw new ResultError(`${name}: no schemaVersion: not an exhunt scan result (exhunt scan --format json), or one from a pre-release exhunt; scan again with this version`);
  if (typeof v !== 'string' || !/^\d+\.\d+$/.test(v)) throw new ResultError(`${name}: schemaVersion ${JSON.stringify(v).slice(0, 40)} is not a version this exhunt knows`);
  const [major] = v.split('.');
  const [ours] = SCHEMA_VERSION.split('.');
  if (major !== ours) throw new ResultError(`${name}: schema version ${v} is not supported: this exhunt reads ${ours}.x results (${SCHEMA_VERSION}); ${Number(major) < Number(ours) ? 'scan the evidence again with this version' : 'use the exhunt that wrote it, or a newer one'}`);
  if (!Array.isArray(r['hosts'])) throw new ResultError(`${name}: no hosts array`);
  const tool = obj(r['tool']);
  return {
    tool: { name: 'exhunt', version: typeof tool['version'] === 'string' ? tool['version'] : 'unknown' },
    started: ms(r['started']) ?? 0,
    finished: ms(r['finished']) ?? ms(r['started']) ?? 0,
    hosts: (r['hosts'] as unknown[]).map((h, i) => hostFrom(obj(h), `${name}: hosts[${i}]`)),
  };
}

function hostFrom(h: Record<string, unknown>, where: string): HostAssessment {
  if (typeof h['host'] !== 'string') throw new ResultError(`${where}: no host name`);
  const cov = obj(h['coverage']);
  const findings = arr(h['findings']).map((f) => findingFrom(obj(f))).filter((f): f is Finding => f !== undefined);
  const families = arr(cov['families']).map((x) => { const f = { ...obj(x) } as unknown as LogSpan; setTime(f, 'first', (f as unknown as Record<string, unknown>)['first']); setTime(f, 'last', (f as unknown as Record<string, unknown>)['last']); if (typeof f.records !== 'number') f.records = 0; if (typeof f.files !== 'number') f.files = 0; return f; });
  const files = arr(cov['files']).map((x) => { const f = { ...obj(x) } as unknown as CoverageEntry; setTime(f, 'first', (f as unknown as Record<string, unknown>)['first']); setTime(f, 'last', (f as unknown as Record<string, unknown>)['last']); return f; });
  const out: HostAssessment = {
    host: h['host'],
    verdict: (['compromised', 'exploited', 'attempted', 'vulnerable', 'clean', 'inconclusive'].includes(h['verdict'] as string) ? h['verdict'] : 'inconclusive') as HostAssessment['verdict'],
    confidence: (['high', 'medium', 'low'].includes(h['confidence'] as string) ? h['confidence'] : 'low') as HostAssessment['confidence'],
    reason: typeof h['reason'] === 'string' ? h['reason'] : '',
    stages: strs(h['stages']) as HostAssessment['stages'],
    attackerIps: strs(h['attackerIps']),
    findings,
    coverage: { families, files, notes: strs(cov['notes']) },
  };
  setTime(out, 'firstEvidence', h['firstEvidence']);
  setTime(out, 'lastEvidence', h['lastEvidence']);
  if (h['exposure'] && typeof h['exposure'] === 'object') out.exposure = h['exposure'] as Record<string, unknown>;
  out.answers = investigate(out);
  return out;
}

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const STAGES = ['recon', 'exploit-attempt', 'exploited', 'persistence', 'hands-on', 'data-access'];

function findingFrom(f: Record<string, unknown>): Finding | undefined {
  const rule = obj(f['rule']);
  const ev = obj(f['evidence']);
  if (typeof rule['id'] !== 'string' || typeof ev['path'] !== 'string') return undefined;
  const level = (LEVELS.includes(f['level'] as string) ? f['level'] : 'informational') as Finding['level'];
  const ent = obj(f['entities']);
  const out = {
    ...f,
    rule: { ...rule, id: rule['id'], title: typeof rule['title'] === 'string' ? rule['title'] : rule['id'], source: typeof rule['source'] === 'string' ? rule['source'] : '', level: (LEVELS.includes(rule['level'] as string) ? rule['level'] : level) as Finding['level'] },
    level,
    stage: (STAGES.includes(f['stage'] as string) ? f['stage'] : 'exploit-attempt') as Finding['stage'],
    cves: strs(f['cves']),
    attack: strs(f['attack']),
    evidence: { ...ev, path: ev['path'], excerpt: typeof ev['excerpt'] === 'string' ? ev['excerpt'] : '' },
    entities: { ips: strs(ent['ips']), users: strs(ent['users']), mailboxes: strs(ent['mailboxes']), files: strs(ent['files']) },
  } as Finding;
  setTime(out, 'time', f['time']);
  const w = (out as { webFile?: { requests?: Record<string, unknown> } }).webFile;
  if (w?.requests) { w.requests = { ...w.requests }; setTime(w.requests, 'first', w.requests['first']); setTime(w.requests, 'last', w.requests['last']); }
  return out;
}

/** Several results as one multi-host result (exhunt report a.json b.json). */
export function mergeResults(rs: ScanResult[]): ScanResult {
  if (rs.length === 1) return rs[0]!;
  return {
    tool: rs[0]?.tool ?? { name: 'exhunt', version: 'unknown' },
    started: Math.min(...rs.map((r) => r.started)),
    finished: Math.max(...rs.map((r) => r.finished)),
    hosts: rs.flatMap((r) => r.hosts),
  };
}
