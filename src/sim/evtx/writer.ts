// A small EVTX writer for fixtures, the simulator and benchmarks: Windows-style records made of a template
// instance (the definition written inline at its first use in each chunk) plus typed substitution values,
// packed into 64 KiB chunks with correct CRC32s and a file header.
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { BinXmlWriter, ChunkFull } from './binxml-encode.js';
import type { Part, XmlNode } from './binxml-encode.js';
import { TYPE_CODE, arrayBytes, scalarBytes, toFiletime } from './values.js';
import type { DataValue } from './values.js';

export type { DataValue, TypedValue, Scalar } from './values.js';
export type { XmlNode, Part } from './binxml-encode.js';

export interface EvtxEvent {
  provider: string;
  providerGuid?: string;
  eventSourceName?: string;
  eventId: number;
  qualifiers?: number;
  version?: number;
  level: number;
  task?: number;
  opcode?: number;
  keywords?: bigint;
  /** epoch ms, or an ISO string with up to 7 fraction digits for exact 100 ns times */
  time: number | string;
  /** default: the next number after the previous record */
  recordId?: number;
  channel: string;
  computer: string;
  /** Security UserID SID */
  userId?: string;
  processId?: number;
  threadId?: number;
  activityId?: string;
  /** EventData: named <Data Name="k"> elements, or unnamed <Data> elements in order */
  data?: Record<string, DataValue> | DataValue[];
  /** UserData instead of EventData: <UserData><element xmlns=...><k>v</k>...</element></UserData> */
  userData?: { element: string; xmlns?: string; fields: Record<string, DataValue> };
}

export interface WriteOptions {
  /** mark the file as not cleanly closed (header flag 1) */
  dirty?: boolean;
}

const CHUNK = 0x10000;
const HEADER = 0x1000;
const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const NULL_GUID = '{00000000-0000-0000-0000-000000000000}';

type Sub = [type: number, bytes: Buffer | null] | [type: 0x21, nodes: XmlNode[]];

function sub(id: number, type: number, optional = false): Part {
  return { subst: id, type, optional };
}

function typeOf(v: DataValue): number {
  if (v === null || typeof v === 'string') return 0x01;
  if ('nodes' in v) return 0x21;
  return TYPE_CODE[v.type] | ('array' in v ? 0x80 : 0);
}

function valueOf(v: DataValue): Sub {
  if (v === null) return [0, null];
  if (typeof v === 'string') return [0x01, Buffer.from(v, 'utf16le')];
  if ('nodes' in v) return [0x21, v.nodes];
  if ('array' in v) return [TYPE_CODE[v.type] | 0x80, arrayBytes(v.type, v.array)];
  return [TYPE_CODE[v.type], scalarBytes(v.type, v.value)];
}

const SYSTEM_SUBS = 18;

function systemTemplate(): XmlNode {
  const leaf = (el: string, id: number, type: number, optional = false): XmlNode => ({ el, children: [sub(id, type, optional)] });
  return {
    el: 'System',
    children: [
      { el: 'Provider', attrs: [['Name', [sub(0, 0x01, true)]], ['Guid', [sub(1, 0x0f, true)]], ['EventSourceName', [sub(2, 0x01, true)]]] },
      { el: 'EventID', attrs: [['Qualifiers', [sub(3, 0x06, true)]]], children: [sub(4, 0x06)] },
      leaf('Version', 5, 0x04, true),
      leaf('Level', 6, 0x04, true),
      leaf('Task', 7, 0x06, true),
      leaf('Opcode', 8, 0x04, true),
      leaf('Keywords', 9, 0x15, true),
      { el: 'TimeCreated', attrs: [['SystemTime', [sub(10, 0x11, true)]]] },
      leaf('EventRecordID', 11, 0x0a, true),
      { el: 'Correlation', attrs: [['ActivityID', [sub(12, 0x0f, true)]]] },
      { el: 'Execution', attrs: [['ProcessID', [sub(13, 0x08, true)]], ['ThreadID', [sub(14, 0x08, true)]]] },
      leaf('Channel', 15, 0x01, true),
      leaf('Computer', 16, 0x01, true),
      { el: 'Security', attrs: [['UserID', [sub(17, 0x13, true)]]] },
    ],
  };
}

/** The template shape of an event (what decides whether two events share a template) and its body. */
function shapeOf(e: EvtxEvent): { key: string; build: () => XmlNode } {
  let id = SYSTEM_SUBS;
  if (e.userData) {
    const u = e.userData;
    const names = Object.keys(u.fields);
    const types = names.map((k) => typeOf(u.fields[k]!));
    return {
      key: 'U' + JSON.stringify([u.element, u.xmlns, names, types]),
      build: () => ({
        el: 'UserData',
        children: [{
          el: u.element,
          ...(u.xmlns ? { attrs: [['xmlns', [u.xmlns]]] as [string, Part[]][] } : {}),
          children: names.map((k, i) => ({ el: k, children: [sub(SYSTEM_SUBS + i, types[i]!, true)] })),
        }],
      }),
    };
  }
  const d = e.data ?? {};
  if (Array.isArray(d)) {
    const types = d.map(typeOf);
    return {
      key: 'A' + types.join(','),
      build: () => ({ el: 'EventData', children: types.map((t) => ({ el: 'Data', children: [sub(id++, t, true)] })) }),
    };
  }
  const names = Object.keys(d);
  const types = names.map((k) => typeOf(d[k]!));
  return {
    key: 'N' + JSON.stringify([names, types]),
    build: () => ({
      el: 'EventData',
      children: names.map((k, i) => ({ el: 'Data', attrs: [['Name', [k]]] as [string, Part[]][], children: [sub(SYSTEM_SUBS + i, types[i]!, true)] })),
    }),
  };
}

function valuesOf(e: EvtxEvent, recordId: number): Sub[] {
  const opt = <T>(v: T | undefined, f: (x: T) => Sub): Sub => (v === undefined ? [0, null] : f(v));
  const s = (x: string): Sub => [0x01, Buffer.from(x, 'utf16le')];
  const vals: Sub[] = [
    s(e.provider),
    opt(e.providerGuid, (g) => [0x0f, scalarBytes('guid', g)]),
    opt(e.eventSourceName, s),
    opt(e.qualifiers, (q) => [0x06, scalarBytes('uint16', q)]),
    [0x06, scalarBytes('uint16', e.eventId)],
    [0x04, scalarBytes('uint8', e.version ?? 0)],
    [0x04, scalarBytes('uint8', e.level)],
    [0x06, scalarBytes('uint16', e.task ?? 0)],
    [0x04, scalarBytes('uint8', e.opcode ?? 0)],
    [0x15, scalarBytes('hex64', e.keywords ?? 0x8000000000000000n)],
    [0x11, scalarBytes('filetime', toFiletime(e.time))],
    [0x0a, scalarBytes('uint64', recordId)],
    opt(e.activityId, (g) => [0x0f, scalarBytes('guid', g)]),
    [0x08, scalarBytes('uint32', e.processId ?? 4)],
    [0x08, scalarBytes('uint32', e.threadId ?? 8)],
    s(e.channel),
    s(e.computer),
    opt(e.userId, (u) => [0x13, scalarBytes('sid', u)]),
  ];
  const data: DataValue[] = e.userData ? Object.values(e.userData.fields) : Array.isArray(e.data) ? e.data : Object.values(e.data ?? {});
  for (const v of data) vals.push(valueOf(v));
  return vals;
}

/** Accumulates records into one chunk. */
class ChunkBuilder {
  readonly buf = Buffer.alloc(CHUNK);
  readonly w = new BinXmlWriter(this.buf, CHUNK);
  private readonly templates = new Map<string, number>();
  first = -1;
  last = -1;
  lastOffset = 0;
  count = 0;

  constructor() {
    this.w.pos = 512;
  }

  /** false when the record does not fit: the chunk is left as it was */
  add(e: EvtxEvent, recordId: number): boolean {
    const w = this.w;
    const start = w.mark();
    const shape = shapeOf(e);
    let newTemplate = false;
    try {
      w.u32(0x00002a2a);
      w.u32(0); // size, patched below
      w.u32(recordId % 0x100000000);
      w.u32(Math.floor(recordId / 0x100000000));
      const ft = toFiletime(e.time);
      w.u32(Number(ft & 0xffffffffn));
      w.u32(Number(ft >> 32n));
      w.bytes(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
      w.u8(0x0c);
      w.u8(0x01);
      w.u32(this.templates.size + 1); // template id
      const known = this.templates.get(shape.key);
      if (known !== undefined) {
        w.u32(known);
      } else {
        const def = w.pos + 4;
        w.u32(def);
        w.u32(0); // next template
        w.bytes(scalarBytes('guid', NULL_GUID));
        const sizeAt = w.pos;
        w.u32(0);
        const body = w.pos;
        w.fragment([{ el: 'Event', attrs: [['xmlns', [EVENT_NS]]], children: [systemTemplate(), shape.build()] }]);
        this.buf.writeUInt32LE(w.pos - body, sizeAt);
        this.templates.set(shape.key, def);
        newTemplate = true;
      }
      const vals = valuesOf(e, recordId);
      w.u32(vals.length);
      const descAt = w.pos;
      for (let i = 0; i < vals.length; i++) w.u32(0);
      vals.forEach((v, i) => {
        const at = w.pos;
        if (v[0] === 0x21) {
          w.fragment(v[1] as XmlNode[]);
        } else if (v[1]) w.bytes(v[1] as Buffer);
        const size = w.pos - at;
        if (size > 0xffff) throw new ChunkFull();
        this.buf.writeUInt16LE(size, descAt + i * 4);
        this.buf[descAt + i * 4 + 2] = v[0];
      });
      w.u8(0x00); // end of fragment
      const size = w.pos - start + 4;
      w.u32(size);
      this.buf.writeUInt32LE(size, start + 4);
    } catch (err) {
      if (!(err instanceof ChunkFull)) throw err;
      w.rollback(start);
      if (newTemplate) this.templates.delete(shape.key);
      return false;
    }
    if (this.first < 0) this.first = recordId;
    this.last = recordId;
    this.lastOffset = start;
    this.count++;
    return true;
  }

  finish(): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(this.first), 8);
    b.writeBigUInt64LE(BigInt(this.last), 16);
    b.writeBigUInt64LE(BigInt(this.first), 24);
    b.writeBigUInt64LE(BigInt(this.last), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastOffset, 44);
    b.writeUInt32LE(this.w.pos, 48);
    b.writeUInt32LE(crc32(b.subarray(512, this.w.pos)), 52);
    b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
    return b;
  }
}

export function fileHeader(chunks: number, nextRecordId: number, opts: WriteOptions = {}): Buffer {
  const h = Buffer.alloc(HEADER);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks - 1)), 16);
  h.writeBigUInt64LE(BigInt(nextRecordId), 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(HEADER, 40);
  h.writeUInt16LE(Math.min(chunks, 0xffff), 42);
  h.writeUInt32LE(opts.dirty ? 1 : 0, 120);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return h;
}

/** Chunks of the events, in order; each is a finished 64 KiB buffer. */
export function* evtxChunks(events: Iterable<EvtxEvent>, state = { nextId: 1 }): Generator<Buffer> {
  let c = new ChunkBuilder();
  for (const e of events) {
    const id = e.recordId ?? state.nextId;
    if (!c.add(e, id)) {
      if (c.count === 0) throw new RangeError(`record ${id} is too large for one chunk`);
      yield c.finish();
      c = new ChunkBuilder();
      if (!c.add(e, id)) throw new RangeError(`record ${id} is too large for one chunk`);
    }
    state.nextId = id + 1;
  }
  if (c.count > 0) yield c.finish();
}

/** A whole EVTX file in memory (small fixtures). */
export function buildEvtx(events: Iterable<EvtxEvent>, opts: WriteOptions = {}): Buffer {
  const state = { nextId: 1 };
  const chunks = [...evtxChunks(events, state)];
  return Buffer.concat([fileHeader(chunks.length, state.nextId, opts), ...chunks]);
}

/** Write an EVTX file chunk by chunk (memory stays flat for large generated logs). */
export function writeEvtx(path: string, events: Iterable<EvtxEvent>, opts: WriteOptions = {}): { records: number; chunks: number; bytes: number } {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.alloc(HEADER), 0, HEADER, 0);
    const state = { nextId: 1 };
    let chunks = 0;
    let records = 0;
    const counted = function* (): Generator<EvtxEvent> {
      for (const e of events) {
        records++;
        yield e;
      }
    };
    for (const c of evtxChunks(counted(), state)) {
      writeSync(fd, c, 0, c.length, HEADER + chunks * CHUNK);
      chunks++;
    }
    writeSync(fd, fileHeader(chunks, state.nextId, opts), 0, HEADER, 0);
    return { records, chunks, bytes: HEADER + chunks * CHUNK };
  } finally {
    closeSync(fd);
  }
}
