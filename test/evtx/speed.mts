import { readEvtx } from '../../src/readers/evtx/read.js';
import { closeEvtxPool } from '../../src/readers/evtx/pool.js';
import { threadId } from 'node:worker_threads';
const f = process.argv[2]!;
for (const th of [1, 2]) {
  let n = 0; const t0 = performance.now();
  for (let i = 0; i < 5; i++) for await (const r of readEvtx(f, { threads: th })) n++;
  console.log('threads', th, n, (performance.now() - t0).toFixed(0), 'ms');
}
await closeEvtxPool();
