import type { ScanResult } from '../../types.js';

/** The scan a worker runs on an uploaded collection; injectable so the job logic is testable without it. */
export type ScanFn = (input: string, opts: { host?: string }) => Promise<ScanResult>;

export interface JobQueue {
  readonly kind: 'inproc' | 'bullmq';
  /** hand a stored job (status queued) to the workers */
  enqueue(jobId: string): Promise<void>;
  close(): Promise<void>;
}

/** The pipeline's entry point, loaded on first use so the server starts even before a scanner is built. */
export async function defaultScan(): Promise<ScanFn> {
  const mod = '../../scan/run-scan.js';
  const m = (await import(mod)) as { scanCollection?: ScanFn };
  if (typeof m.scanCollection !== 'function') throw new Error('src/scan/run-scan.ts does not export scanCollection');
  return m.scanCollection;
}

/** Load a scan function from a module path (exhunt worker --scan-module): for tests and custom pipelines. */
export async function scanFromModule(path: string): Promise<ScanFn> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const m = (await import(pathToFileURL(resolve(path)).href)) as { scanCollection?: ScanFn; default?: ScanFn };
  const fn = m.scanCollection ?? m.default;
  if (typeof fn !== 'function') throw new Error(`${path} exports no scanCollection function`);
  return fn;
}
