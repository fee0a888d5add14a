// One worker thread: compiles the rule set once, then scans batches of files synchronously.
// Before each file it writes (task number, start time) into shared memory so the pool can see a stalled
// scan and replace this worker.
import { closeSync, fstatSync, openSync, readSync, constants as fsc } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { acceptSources } from './accept-sources.js';
import { loadNative, loadWasm, type Backend, type CompiledRules } from './backend.js';
import { fileTypeOf } from './file-type.js';
import type { WorkerBatch, WorkerInit, WorkerReply, WorkerTask, YaraMatch } from './types.js';

// Runs as a worker thread (workerData, parentPort, shared progress) or as a child process (IPC messages).
const inProcess = !parentPort && typeof process.send === 'function';
let init = workerData as WorkerInit;
let progress: Float64Array<ArrayBufferLike> = new Float64Array(2);
const post = (m: WorkerReply) => (inProcess ? process.send?.(m) : parentPort?.postMessage(m));

let rules: CompiledRules | undefined;
const SMALL = 8 << 20;
const smallBuf = Buffer.allocUnsafe(SMALL);

async function start(): Promise<void> {
  const backend: Backend = init.backend === 'native' ? loadNative() : await loadWasm();
  const acc = acceptSources(init.sources, backend.checker);
  rules = backend.compile(acc.joined || 'rule exhunt_empty_ruleset { condition: false }', { timeoutMs: init.timeoutMs, maxMatchesPerPattern: init.maxMatchesPerPattern });
  // The first scan pays for lazy set-up (WASM tiers up, scanners are built): do it before the clock runs.
  rules.scanBuffer(Buffer.from('exhunt warm-up'), { filename: '', filepath: '', extension: '', filetype: '', owner: '' });
  post({ type: 'ready', notices: acc.notices });
}

function scanOne(t: WorkerTask): { matches: YaraMatch[]; problem?: string; timedOut?: boolean } {
  const r = rules;
  if (!r) return { matches: [], problem: 'rules not compiled' };
  // Open without following into devices or FIFOs: only regular files are read.
  let fd: number;
  try {
    fd = openSync(t.absPath, fsc.O_RDONLY | fsc.O_NONBLOCK);
  } catch (e) {
    return { matches: [], problem: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { matches: [], problem: 'not a regular file' };
    const ext = { ...t.externals };
    const head = t.headBytes !== undefined ? Math.min(t.headBytes, st.size) : undefined;
    // Small files (most of a web tree) are read through the descriptor we checked; big ones are mapped by
    // the native binding. The WASM binding has no file API, so it reads everything it scans.
    if (head !== undefined || init.backend === 'wasm' || st.size <= SMALL) {
      const n = head ?? st.size;
      const buf = n <= SMALL ? smallBuf : Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const k = readSync(fd, buf, got, n - got, got);
        if (k === 0) break;
        got += k;
      }
      const data = buf.subarray(0, got);
      if (init.needFiletype) ext.filetype = fileTypeOf(data.subarray(0, 16));
      return { matches: r.scanBuffer(data, ext) };
    }
    if (init.needFiletype) {
      const h = Buffer.alloc(16);
      ext.filetype = fileTypeOf(h.subarray(0, readSync(fd, h, 0, 16, 0)));
    }
    return { matches: r.scanFile(t.absPath, ext) };
  } catch (e) {
    const msg = String((e as Error).message ?? e);
    if (/timeout|timed out/i.test(msg)) return { matches: [], problem: 'scan timed out', timedOut: true };
    return { matches: [], problem: `scan failed: ${msg.split('\n', 1)[0]}` };
  } finally {
    closeSync(fd);
  }
}

function onBatch(m: WorkerBatch): void {
  if (m.type !== 'batch') return;
  const results = m.tasks.map((t) => {
    progress[1] = 0;
    progress[0] = t.seq;
    progress[1] = Date.now();
    if (inProcess && t.report) post({ type: 'progress', seq: t.seq });
    const r = scanOne(t);
    progress[1] = 0;
    return { seq: t.seq, ...r };
  });
  post({ type: 'results', batch: m.batch, results });
}

const fail = (e: unknown) => post({ type: 'fatal', message: String((e as Error).message ?? e) });
if (inProcess) {
  process.on('message', (m: WorkerBatch | { type: 'init'; init: WorkerInit }) => {
    if (m.type === 'init') {
      init = m.init;
      start().catch(fail);
    } else onBatch(m);
  });
  process.on('disconnect', () => process.exit(0));
} else {
  if (init.progress) progress = new Float64Array(init.progress);
  parentPort?.on('message', onBatch);
  start().catch(fail);
}
