// The scan pipeline for one collection: evidence -> readers -> detect -> assess (DESIGN.md).
// The CLI, the demo and the fleet workers all call scanCollection; output formats are applied after.
import { basename } from 'node:path';
import { assessHost } from '../assess/assess-host.js';
import { openCollection, type Collection, type EvidenceFile } from '../evidence/gather.js';
import { sha256File } from '../evidence/hash.js';
import { mapConcurrent } from '../concurrent.js';
import { LEVELS, type CoverageEntry, type Finding, type Level, type ScanResult } from '../types.js';
import { VERSION } from '../version.js';
import { linkRequests } from '../detect/webshell/index.js';
import { scanEvtxFiles } from './evtx-stage.js';
import type { HostExposure } from '../detect/exchange/index.js';
import { assessHostExposure, buildFromFiles } from './exposure-stage.js';
import { scanLogs } from './log-stage.js';
import { loadRules, type LoadedRules } from './rules.js';
import { scanWeb } from './web-stage.js';
import type { LogTaskResult } from './log-task.js';

export interface ScanOptions {
  /** host name to report (else from the evidence, else the folder name) */
  host?: string;
  sigma?: string[];
  noBuiltinRules?: boolean;
  /** the user's YARA rule folders */
  yara?: string[];
  /** folders of stock Exchange file hashes per build */
  baseline?: string[];
  threads?: number;
  since?: number;
  until?: number;
  minLevel?: Level;
  /** called as work completes: bytes of evidence done out of the total */
  onProgress?: (done: number, total: number) => void;
}

const HOST_FIELDS = ['ServerHostName', 'ServerName', 's-computername', 'Computer', 'server-hostname'];

export async function scanCollection(input: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const lap = stageTimer();
  const col = await openCollection(input);
  lap('evidence');
  try {
    return await scanOpened(col, input, opts, started, lap);
  } finally {
    await col.close();
  }
}

export async function scanOpened(col: Collection, input: string, opts: ScanOptions, started: number, lap: (stage: string) => void): Promise<ScanResult> {
  const total = col.files.reduce((s, f) => s + f.size, 0);
  let done = 0;
  const progress = (bytes: number): void => {
    done += bytes;
    opts.onProgress?.(done, total);
  };
  const coverage: CoverageEntry[] = col.skipped.map((s) => ({ path: s.path, kind: 'other', size: 0, status: 'skipped', reason: s.reason }));
  const findings: Finding[] = [];
  const notes: string[] = [];
  const ruleOpts = { sigma: opts.sigma ?? [], ...(opts.noBuiltinRules ? { noBuiltin: true } : {}) };
  const rules = await loadRules(ruleOpts);
  lap('rules');
  notes.push(ruleSummary(rules));

  // Web folders first: the suspicious files found there tell the log stage which requests to collect.
  // The build from the files lets the stock-file baseline compare against the right release.
  const build = await buildFromFiles(col.files);
  const web = await scanWeb(col.files, { root: col.root, yara: opts.yara ?? [], ...(build ? { build } : {}), ...(opts.baseline ? { baseline: opts.baseline } : {}), onFileDone: progress });
  lap('web files');
  coverage.push(...web.coverage);
  notes.push(...web.notes);
  const watchNames = [...new Set(web.findings.map((f) => f.evidence.path.slice(f.evidence.path.lastIndexOf('/') + 1).toLowerCase()))];

  const logs = await scanLogs(col.files, { ...ruleOpts, ruleSet: rules.ruleSet, ...(opts.threads ? { threads: opts.threads } : {}), watchNames, onFileDone: progress });
  lap('text logs');
  const byPath = new Map<string, LogTaskResult>(logs.map((r) => [r.path, r]));
  for (const r of logs) findings.push(...r.findings);
  findings.push(...linkRequests(web.findings, logs.flatMap((r) => r.requests), web.vdirs));

  const evtx = await scanEvtxFiles(col.files.filter((f) => f.kind === 'evtx'), rules.ruleSet, progress);
  lap('event logs');
  findings.push(...evtx.findings);
  const evtxCoverage = new Map(evtx.coverage.map((e) => [e.path, e]));

  // The host name recorded in the logs: the first log in path order that names one (deterministic).
  let hostFromEvidence = col.files.map((f) => byPath.get(f.path)).map((r) => HOST_FIELDS.map((k) => r?.summary?.sample?.[k]).find((v) => v && v !== '-')).find((v) => v);
  const covered = new Set(coverage.map((c) => c.path));
  const rest = col.files.filter((f) => !covered.has(f.path));
  coverage.push(...(await mapConcurrent(rest, 16, async (f) => {
    const r = byPath.get(f.path);
    const ev = evtxCoverage.get(f.path);
    if (r) return logCoverage(f, r);
    if (ev) return { ...ev, sha256: await sha256File(f.absPath).catch(() => '') };
    progress(f.size);
    return otherCoverage(f);
  })));
  hostFromEvidence ??= evtx.computers[0]?.split('.')[0];
  coverage.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const host = opts.host ?? hostFromEvidence ?? basename(input).replace(/\.zip$/i, '');
  // Missing fixes are state, not attack evidence: they live in the exposure section and the
  // 'vulnerable' verdict, never among the findings that decide how far an attacker got.
  lap('coverage');
  const exposure = await assessHostExposure(host, col.files, logs);
  lap('exposure');
  for (const e of exposure.errors) notes.push(`exposure: ${e.path}: ${e.error}`);
  const kept = filterFindings(findings, opts);
  if (kept.length < findings.length) notes.push(`${findings.length - kept.length} findings left out by --since/--until/--min-level.`);
  const vulnerable = exposure.exposure.vulnerable;
  const assessment = assessHost({
    host, findings: kept, files: coverage, notes, exposure: exposure.exposure,
    ...(vulnerable ? { vulnerable, vulnerableReason: vulnerableReason(exposure) } : {}),
  });
  return { tool: { name: 'exhunt', version: VERSION }, started, finished: Date.now(), hosts: [assessment] };
}

/** EXHUNT_DEBUG=timing prints how long each stage took, on stderr. */
function stageTimer(): (stage: string) => void {
  if (!/\btiming\b/.test(process.env['EXHUNT_DEBUG'] ?? '')) return () => {};
  let t = performance.now();
  return (stage) => {
    const now = performance.now();
    process.stderr.write(`exhunt: ${stage} ${(now - t).toFixed(0)} ms\n`);
    t = now;
  };
}

function vulnerableReason(e: HostExposure): string {
  const x = e.exposure;
  const open = x.families.filter((f) => f.state === 'vulnerable' || f.state === 'partially-mitigated').map((f) => f.name);
  return `No exploitation evidence was found, but ${x.productName ?? 'Exchange'} ${x.build ?? ''} lacks fixes for ${open.join(', ') || `${x.missingFixes.length} CVEs`}.`;
}

function ruleSummary(r: LoadedRules): string {
  const errors = r.problems.filter((p) => p.severity !== 'warning');
  const why = new Map<string, number>();
  for (const p of errors) {
    const k = p.reason.replace(/'[^']*'|"[^"]*"/g, '…').slice(0, 80);
    why.set(k, (why.get(k) ?? 0) + 1);
  }
  const top = [...why.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, n]) => `${n}× ${k}`).join('; ');
  return `Sigma: ${r.loaded} rules loaded${errors.length ? `, ${errors.length} not used (${top})` : ''}.`;
}

function logCoverage(f: EvidenceFile, r: LogTaskResult): CoverageEntry {
  const e: CoverageEntry = { path: f.path, kind: f.kind, size: f.size, status: r.error ? 'error' : 'read' };
  if (f.logType) e.logType = f.logType;
  if (r.error) { e.reason = `could not be read: ${r.error}`; return e; }
  const s = r.summary!;
  e.sha256 = s.sha256;
  e.records = s.records;
  if (s.first !== undefined) e.first = s.first;
  if (s.last !== undefined) e.last = s.last;
  if (s.problems.length) e.reason = s.problems.join('; ');
  return e;
}

async function otherCoverage(f: EvidenceFile): Promise<CoverageEntry> {
  const e: CoverageEntry = { path: f.path, kind: f.kind, size: f.size, status: 'skipped' };
  if (f.logType) e.logType = f.logType;
  try {
    e.sha256 = await sha256File(f.absPath);
  } catch (err) {
    return { ...e, status: 'error', reason: `not readable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  e.reason = f.note ?? `${f.kind}: no reader for this kind yet`;
  return e;
}

function filterFindings(findings: Finding[], opts: ScanOptions): Finding[] {
  const min = opts.minLevel ? LEVELS.indexOf(opts.minLevel) : 0;
  return findings.filter((f) => {
    if (LEVELS.indexOf(f.level) < min) return false;
    if (opts.since !== undefined && f.time !== undefined && f.time < opts.since) return false;
    if (opts.until !== undefined && f.time !== undefined && f.time > opts.until) return false;
    return true;
  });
}
