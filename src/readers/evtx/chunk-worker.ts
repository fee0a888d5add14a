// Worker thread entry: parses chunk batches sent by the pool. Results go back v8-serialized in a transferred
// buffer, which costs the receiving thread far less than structured-cloning the record objects.
import { parentPort } from 'node:worker_threads';
import { serialize } from 'node:v8';
import { parseBatch } from './batch.js';
import type { BatchJob } from './batch.js';

parentPort?.on('message', (job: BatchJob) => {
  const bytes = serialize(parseBatch(job));
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  parentPort!.postMessage(ab, [ab]);
});
// the pool sends work only after this: a worker that loads its code asynchronously must not miss any
parentPort?.postMessage({ ready: true });
