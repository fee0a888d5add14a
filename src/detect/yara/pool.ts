// A pool of scan workers, one compiled rule set each. Files go out in small batches; a watchdog reads
// each worker's progress and replaces a worker stuck on one file past the timeout (neither binding's own
// timeout can be relied on: the native one has none, the WASM one does not fire in Node).
import { startHost, type Isolation, type ScanHost } from './scan-host.js';
import type { RuleNotice, WorkerBatch, WorkerInit, WorkerReply, WorkerTask, YaraMatch } from './types.js';

export interface TaskResult {
  seq: number;
  matches: YaraMatch[];
  problem?: string;
  timedOut?: boolean;
}

interface Slot {
  host: ScanHost;
  progress: Float64Array;
  ready: Promise<RuleNotice[]>;
  busy?: { batch: number; tasks: WorkerTask[] };
  dead: boolean;
  isReady: boolean;
}

const BATCH_FILES = 32;
const BATCH_BYTES = 4 << 20;
const REPORT_BYTES = 1 << 20;

export class ScanPool {
  private slots: Slot[] = [];
  /** alone: scan in a batch of its own with progress reported (a suspect after a timeout or crash) */
  private queue: { task: WorkerTask; size: number; alone?: boolean }[] = [];
  private results = new Map<number, (r: TaskResult) => void>();
  private batchNo = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly init: Omit<WorkerInit, 'progress'>,
    threads: number,
    private readonly isolation: Isolation,
  ) {
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  /** Resolves with the rule notices once every worker has compiled its rules; rejects on a fatal error. */
  async ready(): Promise<RuleNotice[]> {
    const all = await Promise.all(this.slots.map((s) => s.ready));
    return all[0] ?? [];
  }

  run(task: WorkerTask, size: number): Promise<TaskResult> {
    if (this.closed) return Promise.resolve({ seq: task.seq, matches: [], problem: 'engine closed' });
    return new Promise((resolve) => {
      this.results.set(task.seq, resolve);
      this.queue.push({ task, size });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const [seq, done] of this.results) done({ seq, matches: [], problem: 'engine closed' });
    this.results.clear();
    await Promise.all(this.slots.map((s) => s.host.stop()));
  }

  private spawn(): Slot {
    const host = startHost(this.isolation, this.init);
    const slot: Slot = { host, progress: host.progress, dead: false, isReady: false, ready: Promise.resolve([]) };
    slot.ready = new Promise<RuleNotice[]>((resolve, reject) => {
      host.onMessage((m: WorkerReply) => {
        if (m.type === 'ready') {
          slot.isReady = true;
          resolve(m.notices);
          this.pump();
        } else if (m.type === 'fatal') reject(new Error(`YARA backend failed to start: ${m.message}`));
        else if (m.type === 'results') this.onResults(slot, m.results);
      });
      host.onFailure((reason) => {
        reject(new Error(reason));
        this.onDeath(slot, reason);
      });
    });
    slot.ready.catch(() => undefined);
    return slot;
  }

  private onResults(slot: Slot, results: TaskResult[]): void {
    slot.busy = undefined;
    for (const r of results) this.finish(r);
    this.pump();
  }

  private finish(r: TaskResult): void {
    const done = this.results.get(r.seq);
    if (!done) return;
    this.results.delete(r.seq);
    done(r);
  }

  /** A worker died or was put down: the file it was on gets the reason, the rest of its batch goes back. */
  private retire(slot: Slot, reason: string, timedOut: boolean, stuckSeq?: number): void {
    if (slot.dead) return;
    slot.dead = true;
    const busy = slot.busy;
    slot.busy = undefined;
    if (busy) {
      // A thread shares exact progress. A process reports only some files (IPC per file is costly), so
      // a batch that stalls or crashes is split up: each of its files is tried again on its own.
      const exact = this.isolation === 'thread' || busy.tasks.length === 1;
      const current = stuckSeq ?? (slot.progress[1] ? slot.progress[0] : busy.tasks[0]?.seq);
      for (const t of [...busy.tasks].reverse()) {
        if (exact && t.seq === current) this.finish({ seq: t.seq, matches: [], problem: reason, timedOut });
        else if (this.results.has(t.seq)) this.queue.unshift({ task: t, size: 0, alone: !exact });
      }
    }
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    this.pump();
  }

  private onDeath(slot: Slot, reason: string): void {
    if (!this.closed) this.retire(slot, reason, false);
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.busy || slot.dead || this.queue.length === 0) continue;
      void slot.ready.then(() => this.dispatch(slot), () => undefined);
    }
    this.armWatchdog();
  }

  private dispatch(slot: Slot): void {
    if (slot.busy || slot.dead || this.closed || this.queue.length === 0) return;
    const tasks: WorkerTask[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && tasks.length < BATCH_FILES && (tasks.length === 0 || bytes < BATCH_BYTES)) {
      const head = this.queue[0];
      if (!head || (tasks.length > 0 && head.alone)) break;
      this.queue.shift();
      // progress is reported for the batch's first file, big files and suspects (process isolation)
      tasks.push(tasks.length === 0 || head.alone || head.size > REPORT_BYTES ? { ...head.task, report: true } : head.task);
      bytes += head.size;
      if (head.alone) break;
    }
    const batch = ++this.batchNo;
    slot.busy = { batch, tasks };
    slot.host.ref();
    slot.host.post({ type: 'batch', batch, tasks } satisfies WorkerBatch);
    this.armWatchdog();
  }

  private armWatchdog(): void {
    const busy = this.slots.some((s) => s.busy);
    // idle, compiled workers must not keep the process alive
    for (const s of this.slots) if (!s.busy && s.isReady) s.host.unref();
    if (!busy) {
      if (this.watchdog) clearInterval(this.watchdog);
      this.watchdog = undefined;
      return;
    }
    if (this.watchdog) return;
    const every = Math.max(20, Math.min(250, this.init.timeoutMs / 4));
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const s of this.slots) {
        // read (task, start) twice: the worker may move to its next file between the two reads
        const seqBefore = s.progress[0];
        const started = s.progress[1] ?? 0;
        if (s.progress[0] !== seqBefore) continue;
        if (s.busy && started > 0 && now - started > this.init.timeoutMs + every) {
          const host = s.host;
          this.retire(s, `scan timed out after ${this.init.timeoutMs} ms`, true, seqBefore);
          void host.stop();
        }
      }
    }, every);
  }
}
