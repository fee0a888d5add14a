// Stock Exchange web-folder files per build (CSS-Exchange baselines: `SHA256,build,\relative\path`, one
// gzip or plain CSV per build). Loaded at run time from a folder, never shipped: a file in an Exchange
// web folder that no known build ships is suspicious, and a stock name with a foreign hash is a changed file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Extensions the baselines cover; other files in Exchange folders cannot be judged by them. */
export const BASELINE_EXTENSIONS = new Set(['.aspx', '.ashx', '.asmx', '.asax', '.ascx', '.master', '.config', '.svc']);

export interface Baseline {
  builds: Set<string>;
  /** lower-case install-relative posix path -> sha256 (lower) -> builds shipping that hash */
  byPath: Map<string, Map<string, string[]>>;
  /** lower-case folder -> original-case stock file names in it (any build) */
  namesByFolder: Map<string, Set<string>>;
  /** where the data came from, for explanations */
  source: string;
  problems: string[];
}

/** Default: ../shared/corpora/exchange-baselines next to the repository (see its README). */
export const DEFAULT_BASELINE_DIR = fileURLToPath(new URL('../../../../shared/corpora/exchange-baselines/', import.meta.url));
const MAX_BASELINE_FILE = 64 << 20;

const cache = new Map<string, Baseline>();

export function emptyBaseline(source = 'none'): Baseline {
  return { builds: new Set(), byPath: new Map(), namesByFolder: new Map(), source, problems: [] };
}

export function loadBaselines(dirs: string[]): Baseline {
  const key = dirs.join('\0');
  const hit = cache.get(key);
  if (hit) return hit;
  const b = emptyBaseline(dirs.join(', '));
  const rawPaths = new Map<string, Map<string, string[]>>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.csv(\.gz)?$/i.test(n)).sort();
    } catch (e) {
      b.problems.push(`baseline folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    for (const n of names) {
      try {
        let raw = readFileSync(join(dir, n));
        if (raw.length > MAX_BASELINE_FILE) throw new Error('too large');
        if (n.toLowerCase().endsWith('.gz')) raw = gunzipSync(raw, { maxOutputLength: MAX_BASELINE_FILE });
        addCsv(b, raw.toString('utf8'), rawPaths);
      } catch (e) {
        b.problems.push(`baseline file ${join(dir, n)}: ${(e as Error).message}`);
      }
    }
  }
  cache.set(key, b);
  return b;
}

/** rawPaths: the same paths repeat in every build's file, so each raw path's entry is remembered per load */
function addCsv(b: Baseline, text: string, rawPaths: Map<string, Map<string, string[]>>): void {
  // ~1,000 lines per build and ~100 builds: plain string slicing, no regex per line
  let build = '';
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    if (c1 !== 64 || c2 < 0) continue;
    const hash = line.slice(0, 64).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) continue;
    const lineBuild = line.slice(c1 + 1, c2);
    if (lineBuild !== build) {
      if (!/^[0-9.]{4,20}$/.test(lineBuild)) continue;
      build = lineBuild;
      b.builds.add(build);
    }
    const raw = line.slice(c2 + 1);
    let hashes = rawPaths.get(raw);
    if (!hashes) {
      const rel = raw.replace(/\\/g, '/').replace(/^\/+/, '');
      const key = rel.toLowerCase();
      hashes = b.byPath.get(key);
      if (hashes) rawPaths.set(raw, hashes);
    }
    if (!hashes) {
      const rel = raw.replace(/\\/g, '/').replace(/^\/+/, '');
      const key = rel.toLowerCase();
      b.byPath.set(key, (hashes = new Map()));
      rawPaths.set(raw, hashes);
      const slash = rel.lastIndexOf('/');
      const folder = slash < 0 ? '' : key.slice(0, slash);
      let names = b.namesByFolder.get(folder);
      if (!names) b.namesByFolder.set(folder, (names = new Set()));
      names.add(rel.slice(slash + 1));
    }
    const builds = hashes.get(hash);
    if (builds) builds.push(build);
    else hashes.set(hash, [build]);
  }
}

/** Stock names per folder without hashes (the repo's derived list), used when no baseline folder is present. */
export function baselineFromNames(namesByFolder: Record<string, string[]>, source: string): Baseline {
  const b = emptyBaseline(source);
  for (const [folder, names] of Object.entries(namesByFolder)) b.namesByFolder.set(folder.toLowerCase(), new Set(names));
  return b;
}

export type BaselineVerdict =
  | { kind: 'not-covered' } // extension or folder the baseline cannot judge
  | { kind: 'stock'; builds: string[] } // known name and a hash some build ships
  | { kind: 'stock-name'; buildKnown: boolean; inBuild: boolean } // known name, no hash data or a foreign hash
  | { kind: 'not-stock'; lookAlike?: string }; // a name no known build has in this folder

export function judge(b: Baseline, exchangeRel: string, sha256: string, build?: string): BaselineVerdict {
  const dot = exchangeRel.lastIndexOf('.');
  const ext = dot >= 0 ? exchangeRel.slice(dot) : '';
  if (!BASELINE_EXTENSIONS.has(ext) || b.namesByFolder.size === 0) return { kind: 'not-covered' };
  const slash = exchangeRel.lastIndexOf('/');
  const folder = exchangeRel.slice(0, Math.max(0, slash));
  const name = exchangeRel.slice(slash + 1);
  const hashes = b.byPath.get(exchangeRel);
  const stockNames = b.namesByFolder.get(folder);
  const named = hashes !== undefined || [...(stockNames ?? [])].some((n) => n.toLowerCase() === name);
  if (!named) return { kind: 'not-stock', ...lookAlikeOf(name, stockNames) };
  if (!hashes) return { kind: 'stock-name', buildKnown: false, inBuild: false };
  const builds = hashes.get(sha256.toLowerCase());
  if (builds) return { kind: 'stock', builds };
  const buildKnown = build !== undefined && b.builds.has(build);
  const inBuild = buildKnown && [...hashes.values()].some((bs) => bs.includes(build));
  return { kind: 'stock-name', buildKnown, inBuild };
}

/** errorEE.aspx next to errorFE.aspx: a name a small edit away from a stock name in the same folder. */
function lookAlikeOf(name: string, stock: Set<string> | undefined): { lookAlike?: string } {
  if (!stock) return {};
  const base = name.replace(/\.[^.]*$/, '');
  const ext = name.slice(base.length);
  if (base.length < 4) return {};
  const limit = base.length >= 12 ? 3 : base.length >= 6 ? 2 : 1;
  for (const s of stock) {
    const sl = s.toLowerCase();
    if (!sl.endsWith(ext)) continue;
    const sb = sl.slice(0, sl.length - ext.length);
    if (sb !== base && editDistance(sb, base, limit) <= limit) return { lookAlike: s };
  }
  return {};
}

export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}
