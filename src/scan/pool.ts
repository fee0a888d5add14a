// A small worker_threads pool: one worker per core, each initialised once (rules compiled per worker),
// tasks handed out as workers free up. Results come back in completion order with their task index.
import { availableParallelism } from 'node:os';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { startWorker } from '../worker-start.js';

export interface Pool<T, R> {
  run(task: T): Promise<R>;
  close(): Promise<void>;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export function createPool<T, R>(url: URL, init: unknown, size = defaultThreads(), limits?: ResourceLimits): Pool<T, R> {
  type Job = { task: T; resolve: (r: R) => void; reject: (e: Error) => void };
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const workers: Worker[] = [];
  for (let i = 0; i < size; i++) {
    const w = startWorker(url, { workerData: init, ...(limits ? { resourceLimits: limits } : {}) });
    w.on('message', (msg: { ok: true; result: R } | { ok: false; error: string }) => {
      const job = busy.get(w);
      busy.delete(w);
      if (job) {
        if (msg.ok) job.resolve(msg.result);
        else job.reject(new Error(msg.error));
      }
      idle.push(w);
      pump();
    });
    w.on('error', (err) => {
      const job = busy.get(w);
      busy.delete(w);
      job?.reject(err);
    });
    workers.push(w);
    idle.push(w);
  }
  function pump(): void {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      busy.set(w, job);
      w.postMessage(job.task);
    }
  }
  return {
    run(task: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ task, resolve, reject });
        pump();
      });
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
