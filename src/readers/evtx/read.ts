// Streaming EVTX reader: reads the file a batch of chunks at a time (memory stays flat whatever the
// file size), parses batches on worker threads, and yields records in file order.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from './chunk.js';
import type { ChunkOutput, EvtxPrefilter, EvtxProblem, EvtxRecord } from './chunk.js';
import { chunkOutputs } from './batch.js';
import { parseFileHeader } from './file-header.js';
import type { EvtxFileHeader } from './file-header.js';
import { sharedPool } from './pool.js';
import type { PoolOutput } from './pool.js';
import { unpack } from './pack.js';

export interface ReadEvtxOptions {
  /**
   * Threads parsing chunks; 1 parses on the calling thread. Default: the machine's cores when there are
   * at least 4, else 1 (handing records back from workers costs about as much CPU as parsing them, so on
   * 2 cores workers do not pay; see bench/evtx.ts).
   */
  threads?: number;
  /** also render each record's XML (record.xml) */
  xml?: boolean;
  /** every problem found: bad header, corrupt or truncated chunks, undecodable records */
  onProblem?: (p: EvtxProblem) => void;
  onHeader?: (h: EvtxFileHeader) => void;
  /** read only these channels / event IDs (see EvtxPrefilter) */
  prefilter?: EvtxPrefilter;
  /** called once at the end: what was read, for the coverage account */
  onDone?: (s: EvtxReadSummary) => void;
}

export interface EvtxReadSummary {
  records: number;
  /** records the prefilter declined */
  skipped: number;
  problems: number;
  /** epoch ms of the earliest and latest record time */
  first?: number;
  last?: number;
}

// 256 KiB per read and per worker job: bigger jobs keep more records alive in the worker (more GC)
const BATCH_CHUNKS = 4;
const MIN_POOL_BATCHES = 16; // workers pay off from a few MiB on
const MAX_PROBLEMS = 200; // per file; the rest are counted in one closing message

function defaultThreads(): number {
  const cores = availableParallelism();
  return cores >= 4 ? cores : 1;
}

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got < length ? buf.subarray(0, got) : buf;
}

/** Records of one EVTX file, in file order. Never throws for bad content; problems go to opts.onProblem. */
export async function* readEvtx(path: string, opts: ReadEvtxOptions = {}): AsyncGenerator<EvtxRecord> {
  let problems = 0;
  const sum: EvtxReadSummary = { records: 0, skipped: 0, problems: 0 };
  const report = (p: EvtxProblem): void => {
    problems++;
    if (problems <= MAX_PROBLEMS) opts.onProblem?.(p);
  };
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    report({ path, message: `cannot open: ${(e as Error).message}` });
    opts.onDone?.({ ...sum, problems });
    return;
  }
  try {
    const size = (await fh.stat()).size;
    const head = await readAt(fh, 0, FILE_HEADER_SIZE);
    const header = parseFileHeader(head);
    opts.onHeader?.(header);
    if (size < FILE_HEADER_SIZE && head.toString('latin1', 0, 8) === 'ElfFile\0') {
      report({ path, offset: 0, message: `truncated: ${size} bytes, shorter than the file header` });
      return;
    }
    if (!header.valid) {
      const first = size > FILE_HEADER_SIZE ? await readAt(fh, FILE_HEADER_SIZE, 8) : Buffer.alloc(0);
      if (first.toString('latin1') !== 'ElfChnk\0') {
        report({ path, offset: 0, message: 'not an EVTX file (no ElfFile signature)' });
        return;
      }
      report({ path, offset: 0, message: 'file header has no ElfFile signature; reading chunks anyway' });
    } else if (!header.checksumOk) {
      report({ path, offset: 0, message: 'file header checksum mismatch; reading chunks anyway' });
    }
    if (size <= FILE_HEADER_SIZE) return;
    const chunks = Math.ceil((size - FILE_HEADER_SIZE) / CHUNK_SIZE);
    const batches = Math.ceil(chunks / BATCH_CHUNKS);
    const threads = Math.max(1, Math.floor(opts.threads ?? defaultThreads()));
    const pool = threads > 1 && batches >= MIN_POOL_BATCHES ? sharedPool(threads) : undefined;
    const inflight: Promise<PoolOutput>[] = [];
    const maxInflight = pool ? threads * 3 : 1;
    const xml = opts.xml ?? false;
    const take = function* (out: PoolOutput | ChunkOutput): Generator<EvtxRecord> {
      const o = 'packed' in out ? out.packed : out;
      for (const p of o.problems) report(p);
      sum.skipped += o.skipped;
      for (const r of 'packed' in out ? unpack(out.packed, out.path) : out.records) {
        sum.records++;
        if (r.time === r.time) {
          if (sum.first === undefined || r.time < sum.first) sum.first = r.time;
          if (sum.last === undefined || r.time > sum.last) sum.last = r.time;
        }
        yield r;
      }
    };
    for (let bi = 0; bi < batches || inflight.length; bi++) {
      if (bi < batches) {
        const index = bi * BATCH_CHUNKS;
        const offset = FILE_HEADER_SIZE + index * CHUNK_SIZE;
        const bytes = await readAt(fh, offset, Math.min(BATCH_CHUNKS * CHUNK_SIZE, size - offset));
        const job = { path, xml, offset, index, bytes, chunkCount: header.valid ? header.chunkCount : 0, ...(opts.prefilter ? { prefilter: opts.prefilter } : {}) };
        if (!pool) {
          // chunk by chunk, so records are consumed (and die young) before the next chunk is parsed
          for (const out of chunkOutputs(job)) yield* take(out);
          continue;
        }
        inflight.push(pool.run(job));
        if (inflight.length < maxInflight && bi + 1 < batches) continue;
      }
      yield* take(await inflight.shift()!);
    }
    if (header.valid && size < FILE_HEADER_SIZE + header.chunkCount * CHUNK_SIZE) {
      report({ path, message: `truncated: header lists ${header.chunkCount} chunks, file holds ${((size - FILE_HEADER_SIZE) / CHUNK_SIZE).toFixed(2)}` });
    }
  } catch (e) {
    report({ path, message: `read error: ${(e as Error).message}` });
  } finally {
    if (problems > MAX_PROBLEMS) opts.onProblem?.({ path, message: `${problems - MAX_PROBLEMS} more problems not listed` });
    sum.problems = problems;
    opts.onDone?.(sum);
    await fh.close().catch(() => undefined);
  }
}
