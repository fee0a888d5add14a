// Compact transfer of parsed records from a worker to the calling thread: one flat array of value strings,
// a key table and numeric columns. Rebuilding records from this costs the receiving thread far less than
// structured-cloning thousands of small objects, and the worker drops each chunk's record objects as soon
// as they are packed. (Values are separate strings, not slices of one big string: a slice would keep the
// whole batch alive for as long as any one value is kept.)
import type { ChunkOutput, EvtxProblem, EvtxRecord } from './chunk.js';

export interface PackedBatch {
  keys: string[];
  /** per record: its field values, then its excerpt */
  values: string[];
  /** per record: field count, then key index per field */
  shape: Uint32Array;
  /** per record: time, EventRecordID, file offset */
  nums: Float64Array;
  xml: string[] | null;
  problems: EvtxProblem[];
  skipped: number;
  records: number;
}

export class Packer {
  private readonly keyIds = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private readonly shape: number[] = [];
  private readonly nums: number[] = [];
  private readonly xml: string[] = [];
  private readonly problems: EvtxProblem[] = [];
  private skipped = 0;
  private count = 0;

  add(out: ChunkOutput): void {
    for (const p of out.problems) this.problems.push(p);
    this.skipped += out.skipped;
    for (const r of out.records) this.record(r);
  }

  private record(r: EvtxRecord): void {
    this.count++;
    const f = r.fields;
    const at = this.shape.length;
    this.shape.push(0);
    let n = 0;
    for (const k in f) {
      let id = this.keyIds.get(k);
      if (id === undefined) {
        id = this.keys.length;
        this.keys.push(k);
        this.keyIds.set(k, id);
      }
      this.shape.push(id);
      this.values.push(f[k]!);
      n++;
    }
    this.shape[at] = n;
    this.values.push(r.at.excerpt);
    this.nums.push(r.time, r.at.record ?? NaN, r.at.offset ?? NaN);
    if (r.xml !== undefined) this.xml.push(r.xml);
  }

  finish(): PackedBatch {
    return {
      keys: this.keys,
      values: this.values,
      shape: Uint32Array.from(this.shape),
      nums: Float64Array.from(this.nums),
      xml: this.xml.length ? this.xml : null,
      problems: this.problems,
      skipped: this.skipped,
      records: this.count,
    };
  }
}

/** Rebuild the records of a packed batch (on the receiving thread), one at a time as they are consumed. */
export function* unpack(b: PackedBatch, path: string): Generator<EvtxRecord> {
  const { keys, values, shape, nums } = b;
  let s = 0;
  let v = 0;
  for (let i = 0; i < b.records; i++) {
    const n = shape[s++]!;
    const fields: Record<string, string> = {};
    for (let j = 0; j < n; j++) fields[keys[shape[s++]!]!] = values[v++]!;
    const excerpt = values[v++]!;
    const rec: EvtxRecord = { time: nums[i * 3]!, fields, at: { path, record: nums[i * 3 + 1]!, offset: nums[i * 3 + 2]!, excerpt } };
    if (b.xml) rec.xml = b.xml[i];
    yield rec;
  }
}
