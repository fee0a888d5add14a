import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Db } from '../db/db.js';
import { claimJob, extendLease, failJob, finishJob, type JobRow } from '../store/jobs.js';
import { ingestResult } from '../store/ingest.js';
import type { JobQueue, ScanFn } from './types.js';

export interface InProcOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** remove an upload once its scan is stored */
  deleteAfter?: boolean;
  onEvent?: (e: { job: string; event: 'start' | 'done' | 'retry' | 'failed'; detail?: string }) => void;
}

/**
 * The embedded job runner: jobs live in the database (so they survive restarts) and are claimed with a
 * lease; a runner that dies leaves a lease that expires, and the job is claimed again.
 */
export class InProcQueue implements JobQueue {
  readonly kind = 'inproc' as const;
  private readonly id = `inproc-${randomUUID().slice(0, 8)}`;
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly active = new Set<Promise<void>>();
  private readonly o: Required<Omit<InProcOptions, 'onEvent'>> & Pick<InProcOptions, 'onEvent'>;

  constructor(private readonly db: Db, private readonly scan: () => Promise<ScanFn>, opts: InProcOptions = {}) {
    this.o = { concurrency: 1, leaseMs: 60_000, pollMs: 1000, deleteAfter: true, ...opts };
  }

  /** SQLite has one server process: jobs it left running when it stopped are claimable at once. */
  async start(resetRunning: boolean): Promise<void> {
    if (resetRunning) await this.db.run(`UPDATE jobs SET lease_until = 0 WHERE status = 'running'`);
    this.tick();
  }

  async enqueue(): Promise<void> {
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    while (this.running < this.o.concurrency) {
      this.running++;
      const p = this.next().finally(() => { this.running--; this.active.delete(p); });
      this.active.add(p);
    }
  }

  private async next(): Promise<void> {
    let job: JobRow | undefined;
    try {
      job = await claimJob(this.db, this.id, this.o.leaseMs);
    } catch {
      job = undefined; // database away: try again on the next poll
    }
    if (!job) {
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.o.pollMs);
      return;
    }
    await this.process(job);
    if (!this.stopped) setImmediate(() => this.tick());
  }

  private async process(job: JobRow): Promise<void> {
    this.o.onEvent?.({ job: job.id, event: 'start' });
    const keep = setInterval(() => void extendLease(this.db, job.id, this.o.leaseMs).catch(() => undefined), this.o.leaseMs / 3);
    try {
      const scan = await this.scan();
      const result = await scan(job.path, job.host ? { host: job.host } : {});
      const out = await ingestResult(this.db, { tenantId: job.tenant_id, jobId: job.id, result });
      await finishJob(this.db, job.id, out.hosts + out.duplicates);
      if (this.o.deleteAfter) await rm(job.path, { force: true });
      this.o.onEvent?.({ job: job.id, event: 'done' });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const retry = await failJob(this.db, job.id, msg).catch(() => true);
      this.o.onEvent?.({ job: job.id, event: retry ? 'retry' : 'failed', detail: msg });
    } finally {
      clearInterval(keep);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.active]);
  }
}
