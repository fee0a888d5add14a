// A small pool of worker threads for chunk batches. Workers are kept for the life of the process but
// hold it open only while they have work; if a worker cannot start or dies, its batch is parsed inline.
import { Worker } from 'node:worker_threads';
import { deserialize } from 'node:v8';
import { parseBatch } from './batch.js';
import type { BatchJob, BatchOutput } from './batch.js';

interface Slot {
  worker: Worker;
  busy: boolean;
  /** has answered at least once: a worker that fails before that means workers cannot run here */
  ok: boolean;
  done?: (out: BatchOutput | Error) => void;
}

interface Pending {
  job: BatchJob;
  resolve: (out: BatchOutput) => void;
}

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const workerUrl = new URL('./chunk-worker' + ext, import.meta.url);

export class ChunkPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private broken = false;

  constructor(readonly size: number) {}

  private spawn(): Slot | undefined {
    try {
      const worker = new Worker(workerUrl);
      const slot: Slot = { worker, busy: false, ok: false };
      worker.unref();
      worker.on('message', (out: ArrayBuffer) => this.finish(slot, deserialize(new Uint8Array(out)) as BatchOutput));
      worker.on('error', (e) => this.finish(slot, e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', () => this.finish(slot, new Error('worker exited')));
      return slot;
    } catch {
      this.broken = true;
      return undefined;
    }
  }

  private finish(slot: Slot, out: BatchOutput | Error): void {
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

  run(job: BatchJob): Promise<BatchOutput> {
    if (this.broken || this.size < 1) return Promise.resolve(parseBatch(job));
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) {
        slot = this.spawn();
        if (slot) this.slots.push(slot);
      }
      if (!slot) {
        if (this.broken) for (const p of this.queue.splice(0)) p.resolve(parseBatch(p.job));
        return;
      }
      const p = this.queue.shift()!;
      slot.busy = true;
      slot.worker.ref();
      slot.done = (out) => p.resolve(out instanceof Error ? parseBatch(p.job) : out);
      slot.worker.postMessage(p.job);
    }
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

/** Stop the shared workers (tests and benchmarks call this; a normal run may simply exit). */
export async function closeEvtxPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
