// A batch of consecutive chunks: the unit of work handed to a worker thread.
import { CHUNK_SIZE, parseChunk } from './chunk.js';
import type { ChunkOutput, EvtxPrefilter, EvtxProblem, EvtxRecord } from './chunk.js';

export interface BatchJob {
  path: string;
  xml: boolean;
  /** file offset of the first chunk in `bytes` */
  offset: number;
  /** index of the first chunk in the file */
  index: number;
  /** chunks in use according to the file header */
  chunkCount: number;
  prefilter?: EvtxPrefilter;
  bytes: Uint8Array;
}

export interface BatchOutput {
  records: EvtxRecord[];
  problems: EvtxProblem[];
  skipped: number;
}

/** The batch's chunks parsed one at a time (the calling thread consumes each before the next is parsed). */
export function* chunkOutputs(job: BatchJob): Generator<ChunkOutput> {
  const buf = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  for (let i = 0, at = 0; at < buf.length; i++, at += CHUNK_SIZE) {
    yield parseChunk(buf.subarray(at, Math.min(at + CHUNK_SIZE, buf.length)), job.index + i, job.offset + at, {
      path: job.path,
      xml: job.xml,
      inUse: job.index + i < job.chunkCount,
      ...(job.prefilter ? { prefilter: job.prefilter } : {}),
    });
  }
}

export function parseBatch(job: BatchJob): BatchOutput {
  const records: EvtxRecord[] = [];
  const problems: EvtxProblem[] = [];
  let skipped = 0;
  for (const out of chunkOutputs(job)) {
    skipped += out.skipped;
    for (const r of out.records) records.push(r);
    for (const p of out.problems) problems.push(p);
  }
  return { records, problems, skipped };
}
