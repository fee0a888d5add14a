// Worker thread entry: parses chunk batches sent by the pool.
import { parentPort } from 'node:worker_threads';
import { parseBatch } from './batch.js';
import type { BatchJob } from './batch.js';

parentPort?.on('message', (job: BatchJob) => {
  parentPort!.postMessage(parseBatch(job));
});
