// Where a scan worker runs: a worker thread (cheap, shared memory for progress) or a child process (can be
// killed at any moment). A thread stuck inside the native binding cannot be stopped: it runs until its
// scan returns and Node waits for it at exit, so the native backend runs in processes by default.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { siblingModule, startWorker } from '../../worker-start.js';
import type { WorkerBatch, WorkerInit, WorkerReply } from './types.js';

export type Isolation = 'thread' | 'process';

export interface ScanHost {
  /** [task sequence number, start time in ms (0 = idle)] of the file being scanned */
  progress: Float64Array;
  post(m: WorkerBatch): void;
  onMessage(cb: (m: WorkerReply) => void): void;
  onFailure(cb: (reason: string) => void): void;
  ref(): void;
  unref(): void;
  /** stop it; resolves when it is gone (a thread in native code: when that call returns) */
  stop(): Promise<void>;
}

const workerUrl = siblingModule(import.meta.url, 'scan-worker');
const fromSource = workerUrl.pathname.endsWith('.ts');

export function startHost(isolation: Isolation, init: Omit<WorkerInit, 'progress'>): ScanHost {
  return isolation === 'process' && canFork() ? startProcess(init) : startThread(init);
}

/** Inside the single executable, process.execPath runs exhunt itself, not a given module: use threads. */
export function canFork(): boolean {
  try {
    return !(createRequire(import.meta.url)('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return true;
  }
}

function startThread(init: Omit<WorkerInit, 'progress'>): ScanHost {
  const sab = new SharedArrayBuffer(16);
  const workerData: WorkerInit = { ...init, progress: sab };
  const w = startWorker(workerUrl, { workerData });
  return {
    progress: new Float64Array(sab),
    post: (m) => w.postMessage(m),
    onMessage: (cb) => void w.on('message', cb),
    onFailure: (cb) => {
      w.on('error', (e) => cb(`scan worker crashed: ${e.message}`));
      w.on('exit', () => cb('scan worker exited'));
    },
    ref: () => w.ref(),
    unref: () => w.unref(),
    stop: async () => {
      w.unref();
      await w.terminate().catch(() => 0);
    },
  };
}

function startProcess(init: Omit<WorkerInit, 'progress'>): ScanHost {
  const child: ChildProcess = fork(fileURLToPath(workerUrl), [], {
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const progress = new Float64Array(2);
  const listeners: ((m: WorkerReply) => void)[] = [];
  child.on('message', (m: WorkerReply) => {
    if (m.type === 'progress') {
      progress[1] = 0;
      progress[0] = m.seq;
      progress[1] = Date.now();
      return;
    }
    if (m.type === 'results') progress[1] = 0;
    for (const l of listeners) l(m);
  });
  child.send({ type: 'init', init });
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  return {
    progress,
    post: (m) => {
      if (!exited && child.connected) child.send(m);
    },
    onMessage: (cb) => void listeners.push(cb),
    onFailure: (cb) => {
      child.on('error', (e) => cb(`scan process failed: ${e.message}`));
      child.on('exit', (code, sig) => cb(`scan process exited (${sig ?? code})`));
    },
    ref: () => {
      child.ref();
      (child.channel as { ref?: () => void } | undefined)?.ref?.();
    },
    unref: () => {
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
    },
    stop: async () => {
      if (exited) return;
      child.ref(); // keep the loop alive until the exit is seen
      child.kill('SIGKILL');
      await gone;
    },
  };
}
