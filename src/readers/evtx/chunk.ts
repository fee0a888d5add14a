// One 64 KiB EVTX chunk: header checks (signature, both CRC32s), then its event records.
import { crc32 } from 'node:zlib';
import type { LogRecord } from '../../types.js';
import { ChunkDecoder } from './binxml.js';
import { flattenRecord } from './fields.js';
import type { SystemFilter } from './fields.js';
import { Budget, CHUNK_CHARS, CHUNK_NODES, resolve } from './resolve.js';
import { filetimeMs, formatFiletime, wellFormed } from './values.js';
import { toXml } from './xml.js';

export const CHUNK_SIZE = 0x10000;
export const FILE_HEADER_SIZE = 0x1000;
const CHUNK_MAGIC = 'ElfChnk\0';
const RECORD_MAGIC = 0x00002a2a;
const EXCERPT_MAX = 400;

export interface EvtxRecord extends LogRecord {
  /** the record rendered as XML, when asked for */
  xml?: string;
}

export interface EvtxProblem {
  path: string;
  /** byte offset in the file of the chunk or record concerned */
  offset?: number;
  chunk?: number;
  record?: number;
  message: string;
}

export interface ChunkOptions {
  path: string;
  /** render each record's XML too */
  xml?: boolean;
  /** verify the chunk's CRC32s (default true; the fuzz test turns it off to reach the decoder) */
  checksums?: boolean;
  /** the file header says this chunk is in use: an empty one is then worth a message */
  inUse?: boolean;
  prefilter?: EvtxPrefilter;
}

/**
 * Only records whose Channel and EventID are listed (case-insensitive) are wanted: the others are not
 * decoded past their System part and not returned (e.g. the channels and event IDs the loaded rules read).
 */
export interface EvtxPrefilter {
  channels?: string[];
  eventIds?: string[];
}

export function prefilterTest(pf: EvtxPrefilter | undefined): SystemFilter | undefined {
  if (!pf || (!pf.channels && !pf.eventIds)) return undefined;
  const ch = pf.channels ? new Set(pf.channels.map((c) => c.toLowerCase())) : undefined;
  const ids = pf.eventIds ? new Set(pf.eventIds.map((c) => c.trim())) : undefined;
  return (f) => (!ch || ch.has((f.Channel ?? '').toLowerCase())) && (!ids || ids.has((f.EventID ?? '').trim()));
}

export interface ChunkOutput {
  records: EvtxRecord[];
  problems: EvtxProblem[];
  /** records the prefilter declined */
  skipped: number;
}

function isZero(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

function u64(b: Buffer, p: number): number {
  return b.readUInt32LE(p) + b.readUInt32LE(p + 4) * 0x100000000;
}

export function chunkHeaderCrc(b: Buffer): number {
  return crc32(b.subarray(128, 512), crc32(b.subarray(0, 120)));
}

function excerptOf(f: Record<string, string>): string {
  let s = `${f.Channel ?? ''} ${f.Provider_Name ?? ''} ${f.EventID ?? ''}:`;
  for (const k in f) {
    if (SYSTEM_KEYS.has(k)) continue;
    s += ` ${k}=${f[k]}`;
    if (s.length > EXCERPT_MAX) return wellFormed(s.slice(0, EXCERPT_MAX)) + '…';
  }
  return s;
}

const SYSTEM_KEYS = new Set([
  'Provider_Name', 'Provider_Guid', 'Provider_EventSourceName', 'EventID', 'Qualifiers', 'Version', 'Level', 'Task',
  'Opcode', 'Keywords', 'TimeCreated', 'EventRecordID', 'Correlation_ActivityID', 'Correlation_RelatedActivityID',
  'Execution_ProcessID', 'Execution_ThreadID', 'Channel', 'Computer', 'Security_UserID',
]);

/** epoch ms of "YYYY-MM-DDTHH:MM:SS.fffffffffZ" */
function timeMs(s: string | undefined): number {
  if (!s || s.length < 20) return NaN;
  return Date.parse(s.length > 23 ? s.slice(0, 23) + 'Z' : s);
}

/**
 * Parse one chunk. `b` is exactly the chunk's bytes (a short final read is checked, not assumed).
 * Never throws: every fault becomes a problem and the rest of the chunk (or file) goes on.
 */
export function parseChunk(b: Buffer, index: number, fileOffset: number, opts: ChunkOptions): ChunkOutput {
  const records: EvtxRecord[] = [];
  const problems: EvtxProblem[] = [];
  const where = `chunk ${index} at offset ${fileOffset}`;
  const problem = (message: string, offset = fileOffset, record?: number): void => {
    problems.push({ path: opts.path, offset, chunk: index, ...(record !== undefined ? { record } : {}), message });
  };
  const checksums = opts.checksums ?? true;
  const accept = prefilterTest(opts.prefilter);
  let skipped = 0;
  if (b.length < 512) {
    if (!isZero(b, 0, b.length)) problem(`${where}: truncated (${b.length} bytes); skipped`);
    return { records, problems, skipped };
  }
  if (b.toString('latin1', 0, 8) !== CHUNK_MAGIC) {
    if (!isZero(b, 0, b.length)) problem(`${where}: no chunk signature; skipped`);
    else if (opts.inUse) problem(`${where}: all zeros although the file header counts it; skipped`);
    return { records, problems, skipped };
  }
  const truncated = b.length < CHUNK_SIZE;
  if (truncated) problem(`${where}: truncated to ${b.length} bytes; reading the records that are whole`);
  if (checksums && chunkHeaderCrc(b) !== b.readUInt32LE(124)) {
    problem(`${where}: chunk header checksum mismatch; skipped`);
    return { records, problems, skipped };
  }
  const freeSpace = b.readUInt32LE(48);
  if (freeSpace < 512 || freeSpace > CHUNK_SIZE) {
    problem(`${where}: free-space offset ${freeSpace} out of range; skipped`);
    return { records, problems, skipped };
  }
  const end = Math.min(freeSpace, b.length);
  // a truncated chunk cannot match its checksum; its whole records are still worth reading
  if (checksums && !truncated && crc32(b.subarray(512, end)) !== b.readUInt32LE(52)) {
    problem(`${where}: event records checksum mismatch; skipped`);
    return { records, problems, skipped };
  }
  const dec = new ChunkDecoder(b.subarray(0, Math.min(b.length, CHUNK_SIZE)));
  // what the chunk's records may expand to, all together (each record also has its own limit)
  const budget = new Budget(undefined, CHUNK_NODES, CHUNK_CHARS);
  let p = 512;
  while (p + 24 <= end) {
    if (b.readUInt32LE(p) !== RECORD_MAGIC) {
      if (!isZero(b, p, end)) problem(`${where}: no record signature at chunk offset ${p}; rest of chunk skipped`, fileOffset + p);
      break;
    }
    const size = b.readUInt32LE(p + 4);
    if (size < 28 || p + size > end) {
      problem(`${where}: record size ${size} at chunk offset ${p} out of range; rest of chunk skipped`, fileOffset + p);
      break;
    }
    const id = u64(b, p + 8);
    const writtenLo = b.readUInt32LE(p + 16);
    const writtenHi = b.readUInt32LE(p + 20);
    if (b.readUInt32LE(p + size - 4) !== size) problem(`${where}: record ${id} size copy differs`, fileOffset + p, id);
    try {
      const nodes = dec.decodeRecord(p + 24, p + size - 4);
      const fields = flattenRecord(nodes, accept, budget);
      if (!fields) {
        skipped++;
        p += size;
        continue;
      }
      let time = timeMs(fields.TimeCreated);
      if (Number.isNaN(time)) {
        fields.TimeCreated ??= formatFiletime(writtenLo, writtenHi);
        time = filetimeMs(writtenLo, writtenHi);
      }
      const rec: EvtxRecord = { time, fields, at: { path: opts.path, record: id, offset: fileOffset + p, excerpt: excerptOf(fields) } };
      if (opts.xml) rec.xml = toXml(resolve(nodes, budget));
      records.push(rec);
    } catch (e) {
      if (budget.spent) {
        problem(`${where}: records expand to too much (hostile templates?); rest of chunk skipped`, fileOffset + p, id);
        break;
      }
      const msg = e instanceof Error ? e.message : String(e);
      problem(`${where}: record ${id}: bad binary XML (${msg}); record skipped`, fileOffset + p, id);
    }
    p += size;
  }
  return { records, problems, skipped };
}
