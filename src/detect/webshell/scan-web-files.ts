// The web-file scan the pipeline calls: YARA over the files, published hashes and names, the stock-file
// baseline and the file's place, combined into one explained finding per suspicious file.
import { openSync, readSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createYaraEngine, type YaraEngine } from '../yara/engine.js';
import { loadRuleDirs, OWN_RULES_DIR, ruleOrigin } from '../yara/load-rules.js';
import { externalsFor } from '../yara/externals.js';
import type { RuleNotice, RuleSource, YaraEngineOptions, YaraMatch } from '../yara/types.js';
import { assessFile } from './assess-file.js';
import { baselineFromNames, DEFAULT_BASELINE_DIR, loadBaselines, judge, type Baseline } from './baseline.js';
import { buildFinding, escapeBytes, type WebFileFinding } from './finding.js';
import { loadOwnIocs } from './iocs.js';
import { REPORT_THRESHOLD, scoreOf } from './signals.js';
import { canonicalFolder, locateWebFile, type WebLocation } from './web-paths.js';
import { readFileSync } from 'node:fs';

export interface WebFileInput {
  /** collection-relative posix path, as found */
  path: string;
  absPath: string;
  size: number;
  sha256: string;
  /** ISO-8601 */
  mtime?: string;
  /** Windows hidden attribute, when the collection kept it */
  hidden?: boolean;
}

export interface ScanWebFilesInput {
  root: string;
  files: WebFileInput[];
  /** Exchange build of the host ('15.2.792.10'), when known */
  build?: string;
  /** extra rule folders (--yara DIR, repeatable) */
  yaraDirs?: string[];
  /** baseline folders (--baseline DIR); default ../shared/corpora/exchange-baselines */
  baselineDir?: string | string[];
  /** physical paths of virtual directories from applicationHost.config (parseVirtualDirectories) */
  vdirs?: string[];
  /** reuse an engine across hosts (its rules must include OWN_RULES_DIR and the user's) */
  engine?: YaraEngine;
  engineOptions?: YaraEngineOptions;
}

export interface ScanWebFilesResult {
  findings: WebFileFinding[];
  problems: { path: string; reason: string }[];
  /** rule files not loaded, slow rules, baseline problems */
  notices: RuleNotice[];
  stats: { files: number; yaraScanned: number; stockSkipped: number; backend: string; baselineBuilds: number };
}

const STOCK_NAMES = new URL('../../../rules/baselines/exchange-stock-names.json', import.meta.url);

/** Baselines from the given folders; without any, the repo's stock names per folder (no hashes). */
export function resolveBaseline(dirs: string | string[] | undefined): { baseline: Baseline; notices: RuleNotice[] } {
  const list = dirs === undefined ? [DEFAULT_BASELINE_DIR] : Array.isArray(dirs) ? dirs : [dirs];
  const b = loadBaselines(list);
  const notices: RuleNotice[] = [];
  if (b.builds.size > 0) {
    if (dirs !== undefined) for (const p of b.problems) notices.push({ origin: 'baseline', kind: 'warning', message: p });
    return { baseline: b, notices };
  }
  const names = JSON.parse(readFileSync(fileURLToPath(STOCK_NAMES), 'utf8')) as { folders: Record<string, string[]>; source: string };
  notices.push({ origin: 'baseline', kind: 'warning', message: `no stock-file hashes loaded (${b.problems.join('; ') || list.join(', ')}): judging by stock file names only, modified stock files cannot be seen` });
  return { baseline: baselineFromNames(names.folders, names.source), notices };
}

/** exhunt's own rules plus the user's folders, with where each rule name came from. */
export function loadRules(yaraDirs: string[] = []): { sources: RuleSource[]; notices: RuleNotice[]; origins: Map<string, string> } {
  const { sources, notices } = loadRuleDirs([OWN_RULES_DIR, ...yaraDirs]);
  const origins = new Map<string, string>();
  for (const s of sources) for (const m of s.text.matchAll(/^\s*(?:(?:private|global)\s+)*rule\s+([A-Za-z_][A-Za-z0-9_]*)/gm)) if (m[1] && !origins.has(m[1])) origins.set(m[1], ruleOrigin(s.origin));
  return { sources, notices, origins };
}

export async function scanWebFiles(input: ScanWebFilesInput): Promise<ScanWebFilesResult> {
  const rules = loadRules(input.yaraDirs);
  const { baseline, notices: baseNotices } = resolveBaseline(input.baselineDir);
  const iocs = loadOwnIocs();
  const engine = input.engine ?? (await createYaraEngine(rules.sources, input.engineOptions));
  const problems: { path: string; reason: string }[] = [];
  try {
    const locs = input.files.map((f) => locateWebFile(f.path, input.vdirs ?? []));
    // Stock files (a hash some build ships in that place) need no content scan.
    const stock = input.files.map((f, i) => {
      const rel = locs[i]?.exchangeRel;
      return rel !== undefined && judge(baseline, rel, f.sha256, input.build).kind === 'stock';
    });
    const toScan = input.files.map((_, i) => i).filter((i) => !stock[i]);
    const results = await engine.scan(
      toScan.map((i) => {
        const f = input.files[i] as WebFileInput;
        return { absPath: f.absPath, externals: externalsFor(f.path) };
      }),
      toScan.map((i) => input.files[i]?.size ?? 0),
    );
    const matches = new Map<number, YaraMatch[]>();
    results.forEach((r, k) => {
      const i = toScan[k] as number;
      matches.set(i, r.matches);
      if (r.problem) problems.push({ path: (input.files[i] as WebFileInput).path, reason: r.problem });
    });
    const stockMtime = stockMtimes(input.files, locs, stock);
    const findings: WebFileFinding[] = [];
    input.files.forEach((f, i) => {
      const loc = locs[i];
      const m = matches.get(i) ?? [];
      const a = assessFile({ ...f, ...(loc ? { loc } : {}), matches: m, ruleOrigins: rules.origins, ...(loc ? stockMtimeFor(stockMtime, loc) : {}) }, iocs, baseline, input.build);
      if (scoreOf(a.signals) < REPORT_THRESHOLD) return;
      const source = a.topRule ? rules.origins.get(a.topRule.rule) ?? 'user rules' : a.hashIoc ? 'rules/iocs/webshell-hashes.csv' : a.pathIocs.length ? 'rules/iocs/webshell-paths.csv' : 'exhunt web-folder baseline';
      findings.push(buildFinding(f, a, loc?.area, a.topRule ? snippetOf(f.absPath, a.topRule) : undefined, source));
    });
    findings.sort((x, y) => y.webFile.score - x.webFile.score || (x.evidence.path < y.evidence.path ? -1 : 1));
    return {
      findings,
      problems,
      notices: [...rules.notices, ...engine.notices, ...baseNotices],
      stats: { files: input.files.length, yaraScanned: toScan.length, stockSkipped: input.files.length - toScan.length, backend: engine.backend, baselineBuilds: baseline.builds.size },
    };
  } finally {
    if (!input.engine) await engine.close();
  }
}

function stockMtimes(files: WebFileInput[], locs: (WebLocation | undefined)[], stock: boolean[]): Map<string, number> {
  const by = new Map<string, number[]>();
  files.forEach((f, i) => {
    const loc = locs[i];
    const t = f.mtime ? Date.parse(f.mtime) : NaN;
    if (!stock[i] || !loc || !Number.isFinite(t)) return;
    const k = canonicalFolder(loc);
    const arr = by.get(k) ?? [];
    arr.push(t);
    by.set(k, arr);
  });
  const out = new Map<string, number>();
  for (const [k, ts] of by) out.set(k, ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)] as number);
  return out;
}

function stockMtimeFor(m: Map<string, number>, loc: WebLocation): { stockMtime?: number } {
  const t = m.get(canonicalFolder(loc));
  return t === undefined ? {} : { stockMtime: t };
}

/** A few bytes at the strongest rule's first hit, read again from the file (backends differ in what they return). */
function snippetOf(absPath: string, m: YaraMatch): { offset: number; text: string } | undefined {
  const p = m.patterns.find((x) => x.offsets.length > 0);
  if (!p) return undefined;
  const offset = p.offsets[0] as number;
  const len = Math.min(120, Math.max(16, p.lengths[0] ?? 0));
  let fd: number | undefined;
  try {
    fd = openSync(absPath, 'r');
    const buf = Buffer.alloc(len);
    const n = readSync(fd, buf, 0, len, offset);
    return { offset, text: escapeBytes(buf.subarray(0, n)) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
