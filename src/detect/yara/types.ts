// Plain values of the YARA engine: what goes into a worker and what comes back.

export type YaraBackendName = 'native' | 'wasm';

/** One rule file as read from disk. */
export interface RuleSource {
  /** where it came from (absolute path or rules/ path), used in messages and RuleRef.source */
  origin: string;
  text: string;
}

/** Something about the rules the user must hear: a file that did not compile, a slow rule. */
export interface RuleNotice {
  origin: string;
  kind: 'error' | 'slow' | 'warning';
  message: string;
}

/** The external variables signature-base / THOR style rules expect. Always all defined. */
export interface YaraExternals {
  filename: string;
  filepath: string;
  extension: string;
  filetype: string;
  owner: string;
}

export const EXTERNAL_NAMES: readonly (keyof YaraExternals)[] = ['filename', 'filepath', 'extension', 'filetype', 'owner'];

export interface YaraPatternHit {
  /** pattern identifier, e.g. '$a' */
  id: string;
  /** offsets of the first hits (capped) */
  offsets: number[];
  lengths: number[];
}

export interface YaraMatch {
  rule: string;
  namespace: string;
  tags: string[];
  /** rule meta; booleans come back as strings from the native backend, so prefer strings and numbers */
  meta: Record<string, string | number | boolean>;
  patterns: YaraPatternHit[];
}

/** A file to scan. externals are filled in by the engine when absent. */
export interface YaraTarget {
  absPath: string;
  externals?: Partial<YaraExternals>;
}

export interface YaraFileResult {
  absPath: string;
  matches: YaraMatch[];
  /** set when the file could not be scanned fully: unreadable, timed out, over the size cap */
  problem?: string;
  /** true when only the first bytes were scanned (file over the size cap) */
  partial?: boolean;
  timedOut?: boolean;
}

export interface YaraEngineOptions {
  /** 'native' | 'wasm'; default: EXHUNT_YARA_BACKEND, else native where its binary loads, else wasm */
  backend?: YaraBackendName;
  /** worker threads; default os.availableParallelism() */
  threads?: number;
  /** per-file scan timeout in ms (default 30 000) */
  timeoutMs?: number;
  /** files larger than this are scanned only in their first headBytes (default 256 MiB) */
  maxFileSize?: number;
  /** how much of an over-size file is scanned (default 4 MiB) */
  headBytes?: number;
  /** matches kept per pattern (default 1000, as a memory bound) */
  maxMatchesPerPattern?: number;
  /**
   * 'process' (default for native: a stalled scan can be killed) or 'thread' (default for WASM, whose
   * execution a thread terminate does stop); env EXHUNT_YARA_ISOLATION overrides
   */
  isolation?: 'thread' | 'process';
}

/** Messages between the pool and a scan worker. */
export interface WorkerInit {
  backend: YaraBackendName;
  sources: RuleSource[];
  timeoutMs: number;
  maxMatchesPerPattern: number;
  /** compute `filetype` from magic bytes only when some rule reads it */
  needFiletype: boolean;
  /** threads only: shared Float64Array [task sequence number, start time (ms)] */
  progress?: SharedArrayBuffer;
}

export interface WorkerTask {
  seq: number;
  absPath: string;
  externals: YaraExternals;
  /** scan only this many leading bytes */
  headBytes?: number;
  /** process isolation: tell the pool when this file starts */
  report?: boolean;
}

export interface WorkerBatch {
  type: 'batch';
  batch: number;
  tasks: WorkerTask[];
}

export type WorkerReply =
  | { type: 'ready'; notices: RuleNotice[] }
  | { type: 'progress'; seq: number }
  | { type: 'fatal'; message: string }
  | { type: 'results'; batch: number; results: { seq: number; matches: YaraMatch[]; problem?: string; timedOut?: boolean }[] };
