// The JSON contract (schema/scan-result.schema.json): the assessment with ISO-8601 times.
import type { CoverageEntry, Finding, HostAssessment, LogSpan, ScanResult } from '../types.js';

export const SCHEMA_VERSION = '1.0';

const iso = (t: number | undefined): string | undefined => (typeof t !== 'number' || !Number.isFinite(t) || Math.abs(t) > 8.64e15 ? undefined : new Date(t).toISOString());

function withTimes<T extends object>(o: T, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(o as Record<string, unknown>) };
  for (const k of keys) {
    const v = iso(out[k] as number | undefined);
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

export function findingJson(f: Finding): Record<string, unknown> {
  return withTimes(f, ['time']);
}

/** Keys of the investigation answers that hold epoch ms (src/types.ts InvestigationAnswers). */
export const ANSWER_TIME_KEYS = new Set(['time', 'end', 'first', 'last', 'hostFirst', 'firstRequest', 'lastRequest', 'coverageFrom']);

function timesToIso(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(timesToIso);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (ANSWER_TIME_KEYS.has(k) && typeof x === 'number') {
      const t = iso(x);
      if (t !== undefined) out[k] = t;
    } else out[k] = timesToIso(x);
  }
  return out;
}

export function hostJson(h: HostAssessment): Record<string, unknown> {
  const out = withTimes(h, ['firstEvidence', 'lastEvidence']);
  if (h.answers) out['answers'] = timesToIso(h.answers);
  out['findings'] = h.findings.map(findingJson);
  out['coverage'] = {
    families: h.coverage.families.map((f: LogSpan) => withTimes(f, ['first', 'last'])),
    files: h.coverage.files.map((f: CoverageEntry) => withTimes(f, ['first', 'last'])),
    notes: h.coverage.notes,
  };
  return out;
}

export function resultJson(r: ScanResult): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: r.tool,
    started: iso(r.started),
    finished: iso(r.finished),
    hosts: r.hosts.map(hostJson),
  };
}

export function renderJson(r: ScanResult): string {
  return JSON.stringify(resultJson(r), null, 2) + '\n';
}

/** One finding a line, each carrying its host and verdict, for log pipelines. */
export function renderJsonl(r: ScanResult): string {
  const lines: string[] = [];
  for (const h of r.hosts) for (const f of h.findings) lines.push(JSON.stringify({ host: h.host, verdict: h.verdict, ...findingJson(f) }));
  return lines.length ? lines.join('\n') + '\n' : '';
}
