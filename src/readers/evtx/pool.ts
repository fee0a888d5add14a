// A small pool of worker threads for chunk batches. Workers are kept for the life of the process but
// hold it open only while they have work; if a worker cannot start or dies, its batch is parsed inline.
import { Worker } from 'node:worker_threads';
import { parseBatch } from './batch.js';
import type { BatchJob, BatchOutput } from './batch.js';
import type { PackedBatch } from './pack.js';
import { siblingModule, startWorker } from '../../worker-start.js';

/** A batch's result: records parsed here (fallback), or packed by a worker (unpacked as consumed). */
export type PoolOutput = BatchOutput | { packed: PackedBatch; path: string };

interface Slot {
  worker: Worker;
  busy: boolean;
  /** has loaded its code and said so */
  ready: boolean;
  /** has answered at least once: a worker that fails before that means workers cannot run here */
  ok: boolean;
  /** path of the file whose batch is in progress */
  path?: string;
  done?: (out: PoolOutput | Error) => void;
}

interface Pending {
  job: BatchJob;
  resolve: (out: PoolOutput) => void;
}

const workerUrl = siblingModule(import.meta.url, 'chunk-worker');

function startChunkWorker(): Worker {
  // a roomier young generation: a batch's records are short-lived, and with the default they get promoted
  return startWorker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
}

const YOUNG_MB = 64;

export class ChunkPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private broken = false;
  /** batches parsed by workers and on the calling thread (fallback), for tests and diagnostics */
  readonly stats = { workers: 0, inline: 0 };

  constructor(readonly size: number) {}

  private spawn(): Slot | undefined {
    try {
      const worker = startChunkWorker();
      const slot: Slot = { worker, busy: true, ready: false, ok: false };
      worker.on('message', (out: PackedBatch | { ready: true }) => {
        if (!('ready' in out)) {
          return this.finish(slot, { packed: out, path: slot.path ?? '' });
        }
        slot.ready = true;
        slot.busy = false;
        slot.worker.unref();
        this.pump();
      });
      worker.on('error', (e) => this.finish(slot, e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', () => this.finish(slot, new Error('worker exited')));
      return slot;
    } catch {
      this.broken = true;
      return undefined;
    }
  }

  private finish(slot: Slot, out: PoolOutput | Error): void {
    const done = slot.done;
    slot.done = undefined;
    slot.busy = false;
    slot.worker.unref();
    if (!(out instanceof Error)) slot.ok = true;
    else if (!slot.ok) this.broken = true;
    if (out instanceof Error) {
      // drop the dead worker; later work goes to a fresh one (or inline if none will start)
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      void slot.worker.terminate();
    }
    done?.(out);
    this.pump();
  }

  run(job: BatchJob): Promise<PoolOutput> {
    if (this.broken || this.size < 1) return Promise.resolve(this.inline(job));
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => s.ready && !s.busy);
      if (!slot) {
        // start every missing worker; each takes work once it says it is ready
        if (!this.broken) {
          while (this.slots.length < this.size) {
            const fresh = this.spawn();
            if (!fresh) break;
            this.slots.push(fresh);
          }
        }
        if (this.broken && !this.slots.some((s) => s.ready)) for (const p of this.queue.splice(0)) p.resolve(this.inline(p.job));
        return;
      }
      const p = this.queue.shift()!;
      slot.busy = true;
      slot.worker.ref();
      slot.done = (out) => {
        if (out instanceof Error) return p.resolve(this.inline(p.job));
        this.stats.workers++;
        p.resolve(out);
      };
      slot.path = p.job.path;
      slot.worker.postMessage(p.job);
    }
  }

  private inline(job: BatchJob): PoolOutput {
    this.stats.inline++;
    return parseBatch(job);
  }

  async close(): Promise<void> {
    const all = this.slots.splice(0);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}

let shared: ChunkPool | undefined;

export function sharedPool(size: number): ChunkPool {
  if (!shared || shared.size !== size) {
    void shared?.close();
    shared = new ChunkPool(size);
  }
  return shared;
}

/** How the shared pool has been doing (undefined before first use). */
export function evtxPoolStats(): { workers: number; inline: number } | undefined {
  return shared ? { ...shared.stats } : undefined;
}

/** Stop the shared workers (tests and benchmarks call this; a normal run may simply exit). */
export async function closeEvtxPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
