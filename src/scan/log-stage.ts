// Runs every text log of a collection through the rules: in-process for small collections, on a
// worker pool (one compiled rule set per worker) when there is enough to share across cores.
import type { EvidenceFile } from '../evidence/gather.js';
import type { TextFormat } from '../readers/text-log.js';
import { runLogTask, type LogTask, type LogTaskResult } from './log-task.js';
import { siblingModule } from '../worker-start.js';
import { createPool, defaultThreads } from './pool.js';
import type { RuleSet } from '../detect/sigma/index.js';
import type { RuleOptions } from './rules.js';

/** Below this many bytes of logs, starting workers costs more than it saves. */
const POOL_THRESHOLD = 48 << 20;

export function formatOf(f: EvidenceFile): TextFormat | undefined {
  if (f.kind === 'iis-w3c') return 'w3c';
  if (f.kind === 'exchange-csv') return 'csv';
  if (f.kind === 'exchange-text') return 'text';
  return undefined;
}

export interface LogStageOptions extends RuleOptions {
  /** the rule set already compiled on this thread, for in-process scanning */
  ruleSet: RuleSet;
  threads?: number;
  watchNames: string[];
  onFileDone?: (bytes: number) => void;
  /** log bytes from which a worker pool is used (default 48 MiB) */
  poolFrom?: number;
}

export async function scanLogs(files: EvidenceFile[], opts: LogStageOptions): Promise<LogTaskResult[]> {
  const tasks: LogTask[] = [];
  for (const f of files) {
    const format = formatOf(f);
    if (!format || !f.logType) continue;
    tasks.push({ absPath: f.absPath, path: f.path, logType: f.logType, format, watchNames: opts.watchNames });
  }
  // Largest first, so one big file does not start last and leave the other cores idle.
  const size = new Map(files.map((f) => [f.path, f.size]));
  tasks.sort((a, b) => (size.get(b.path) ?? 0) - (size.get(a.path) ?? 0));
  const total = tasks.reduce((s, t) => s + (size.get(t.path) ?? 0), 0);
  const threads = Math.max(1, opts.threads ?? defaultThreads());
  const done = (r: LogTaskResult): LogTaskResult => {
    opts.onFileDone?.(size.get(r.path) ?? 0);
    return r;
  };
  if (threads === 1 || total < (opts.poolFrom ?? POOL_THRESHOLD) || tasks.length === 0) {
    const ruleSet = opts.ruleSet;
    const out: LogTaskResult[] = [];
    for (const t of tasks) out.push(done(await runLogTask(t, ruleSet)));
    return out;
  }
  const workerUrl = siblingModule(import.meta.url, 'log-worker');
  const init: RuleOptions = { sigma: opts.sigma, ...(opts.noBuiltin ? { noBuiltin: true } : {}) };
  // A small young generation: a log task's garbage is short-lived, and memory must stay flat as input grows.
  const pool = createPool<LogTask, LogTaskResult>(workerUrl, init, Math.min(threads, tasks.length), { maxYoungGenerationSizeMb: 8 });
  try {
    return await Promise.all(tasks.map((t) => pool.run(t).then(done)));
  } finally {
    await pool.close();
  }
}

