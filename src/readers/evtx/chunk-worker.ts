// Worker thread entry: parses chunk batches sent by the pool and sends the records back packed (pack.ts).
import { parentPort } from 'node:worker_threads';
import { chunkOutputs } from './batch.js';
import type { BatchJob } from './batch.js';
import { Packer } from './pack.js';

parentPort?.on('message', (job: BatchJob) => {
  const packer = new Packer();
  for (const out of chunkOutputs(job)) packer.add(out);
  const b = packer.finish();
  parentPort!.postMessage(b, [b.shape.buffer as ArrayBuffer, b.nums.buffer as ArrayBuffer]);
});
// the pool sends work only after this: a worker that loads its code asynchronously must not miss any
parentPort?.postMessage({ ready: true });
