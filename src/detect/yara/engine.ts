// The YARA engine: one small interface over two backends, chosen automatically.
import { availableParallelism } from 'node:os';
import { nativeAvailable } from './backend.js';
import { externalsFor } from './externals.js';
import { ScanPool } from './pool.js';
import type { RuleNotice, RuleSource, YaraBackendName, YaraEngineOptions, YaraFileResult, YaraTarget } from './types.js';

export interface YaraEngine {
  readonly backend: YaraBackendName;
  /** rule files not loaded (errors), slow rules, other compiler warnings */
  readonly notices: RuleNotice[];
  /** scan files; never rejects because of a file: problems are reported per file */
  scan(targets: YaraTarget[], sizes?: number[]): Promise<YaraFileResult[]>;
  close(): Promise<void>;
}

export const DEFAULTS = {
  timeoutMs: 30_000,
  maxFileSize: 256 << 20,
  headBytes: 4 << 20,
  maxMatchesPerPattern: 1000,
} as const;

/** EXHUNT_YARA_BACKEND=wasm|native wins; else native where its prebuilt binary loads, else WASM. */
export function chooseBackend(requested?: YaraBackendName, env = process.env): YaraBackendName {
  const want = requested ?? (env.EXHUNT_YARA_BACKEND as YaraBackendName | undefined);
  if (want === 'wasm') return 'wasm';
  if (want === 'native') {
    if (!nativeAvailable()) throw new Error('EXHUNT_YARA_BACKEND=native but @litko/yara-x has no binary for this platform');
    return 'native';
  }
  return nativeAvailable() ? 'native' : 'wasm';
}

export async function createYaraEngine(sources: RuleSource[], opts: YaraEngineOptions = {}): Promise<YaraEngine> {
  const backend = chooseBackend(opts.backend);
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxFileSize = opts.maxFileSize ?? DEFAULTS.maxFileSize;
  const headBytes = opts.headBytes ?? DEFAULTS.headBytes;
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const needFiletype = sources.some((s) => /\bfiletype\b/.test(s.text));
  const isolation = opts.isolation ?? (process.env.EXHUNT_YARA_ISOLATION === 'thread' || process.env.EXHUNT_YARA_ISOLATION === 'process' ? process.env.EXHUNT_YARA_ISOLATION : backend === 'native' ? 'process' : 'thread');
  const pool = new ScanPool({ backend, sources, timeoutMs, maxMatchesPerPattern: opts.maxMatchesPerPattern ?? DEFAULTS.maxMatchesPerPattern, needFiletype }, threads, isolation);
  let notices: RuleNotice[];
  try {
    notices = await pool.ready();
  } catch (e) {
    await pool.close();
    throw e;
  }
  let seq = 0;
  return {
    backend,
    notices,
    async scan(targets, sizes) {
      return Promise.all(
        targets.map(async (t, i) => {
          const size = sizes?.[i] ?? 0;
          const over = size > maxFileSize;
          const ext = { ...externalsFor(t.absPath), ...t.externals };
          const r = await pool.run({ seq: ++seq, absPath: t.absPath, externals: ext, ...(over ? { headBytes } : {}) }, size);
          const out: YaraFileResult = { absPath: t.absPath, matches: r.matches };
          if (over) {
            out.partial = true;
            out.problem = `over the ${fmt(maxFileSize)} size cap (${fmt(size)}): only the first ${fmt(headBytes)} scanned`;
          }
          if (r.problem) out.problem = out.problem ? `${out.problem}; ${r.problem}` : r.problem;
          if (r.timedOut) out.timedOut = true;
          return out;
        }),
      );
    },
    close: () => pool.close(),
  };
}

function fmt(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
