// Substitution values for the EVTX writer: typed values -> (type byte, bytes).
import type { XmlNode } from './binxml-encode.js';

export type ScalarType =
  | 'string' | 'ansi' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'real32' | 'real64' | 'bool' | 'binary' | 'guid' | 'sizet' | 'filetime' | 'systemtime' | 'sid' | 'hex32' | 'hex64';

/** Scalars take a string for text, GUID ("{...}"), SID ("S-1-..."), hex binary, ISO time; numbers/bigints otherwise. */
export type Scalar = string | number | bigint | boolean;

export type TypedValue =
  | { type: ScalarType; value: Scalar }
  | { type: ScalarType; array: Scalar[] }
  | { type: 'binxml'; nodes: XmlNode[] };

/** A data value: plain text, a typed value, or null (absent). */
export type DataValue = string | TypedValue | null;

export const TYPE_CODE: Record<ScalarType | 'binxml', number> = {
  string: 0x01, ansi: 0x02, int8: 0x03, uint8: 0x04, int16: 0x05, uint16: 0x06, int32: 0x07, uint32: 0x08,
  int64: 0x09, uint64: 0x0a, real32: 0x0b, real64: 0x0c, bool: 0x0d, binary: 0x0e, guid: 0x0f, sizet: 0x10,
  filetime: 0x11, systemtime: 0x12, sid: 0x13, hex32: 0x14, hex64: 0x15, binxml: 0x21,
};

const FILETIME_EPOCH_MS = 11644473600000n;

/** FILETIME (100 ns since 1601) of an epoch-ms number, an ISO string with up to 7 fraction digits, or a bigint FILETIME. */
export function toFiletime(v: Scalar): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return (BigInt(Math.round(v)) + FILETIME_EPOCH_MS) * 10000n;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(String(v));
  if (!m) throw new RangeError(`not an ISO time: ${String(v)}`);
  const secs = BigInt(Date.parse(m[1] + 'Z') / 1000);
  const frac = BigInt((m[2] ?? '').padEnd(7, '0').slice(0, 7));
  return (secs * 1000n + FILETIME_EPOCH_MS) * 10000n + frac;
}

function guidBytes(s: string): Buffer {
  const h = s.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new RangeError(`not a GUID: ${s}`);
  const b = Buffer.from(h, 'hex');
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

function sidBytes(s: string): Buffer {
  const m = /^S-(\d+)-(\d+)((?:-\d+)*)$/.exec(s);
  if (!m) throw new RangeError(`not a SID: ${s}`);
  const subs = m[3] ? m[3].slice(1).split('-').map(Number) : [];
  const b = Buffer.alloc(8 + subs.length * 4);
  b[0] = Number(m[1]);
  b[1] = subs.length;
  b.writeUIntBE(Number(m[2]), 2, 6);
  subs.forEach((x, i) => b.writeUInt32LE(x, 8 + i * 4));
  return b;
}

function systemtimeBytes(v: Scalar): Buffer {
  const d = new Date(typeof v === 'number' ? v : String(v));
  const b = Buffer.alloc(16);
  [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    .forEach((x, i) => b.writeUInt16LE(x, i * 2));
  return b;
}

export function scalarBytes(type: ScalarType, v: Scalar): Buffer {
  const n = (size: number, write: (b: Buffer) => void): Buffer => {
    const b = Buffer.alloc(size);
    write(b);
    return b;
  };
  switch (type) {
    case 'string': return Buffer.from(String(v), 'utf16le');
    case 'ansi': return Buffer.from(String(v), 'latin1');
    case 'int8': return n(1, (b) => b.writeInt8(Number(v)));
    case 'uint8': return n(1, (b) => b.writeUInt8(Number(v)));
    case 'int16': return n(2, (b) => b.writeInt16LE(Number(v)));
    case 'uint16': return n(2, (b) => b.writeUInt16LE(Number(v)));
    case 'int32': return n(4, (b) => b.writeInt32LE(Number(v)));
    case 'uint32': case 'hex32': return n(4, (b) => b.writeUInt32LE(Number(v)));
    case 'int64': return n(8, (b) => b.writeBigInt64LE(BigInt(v)));
    case 'uint64': case 'hex64': return n(8, (b) => b.writeBigUInt64LE(BigInt(v)));
    case 'sizet': return n(8, (b) => b.writeBigUInt64LE(BigInt(v)));
    case 'real32': return n(4, (b) => b.writeFloatLE(Number(v)));
    case 'real64': return n(8, (b) => b.writeDoubleLE(Number(v)));
    case 'bool': return n(4, (b) => b.writeUInt32LE(v ? 1 : 0));
    case 'binary': return Buffer.from(String(v), 'hex');
    case 'guid': return guidBytes(String(v));
    case 'filetime': return n(8, (b) => b.writeBigUInt64LE(toFiletime(v)));
    case 'systemtime': return systemtimeBytes(v);
    case 'sid': return sidBytes(String(v));
  }
}

/** Arrays: strings are each NUL-terminated; fixed-size items are packed. */
export function arrayBytes(type: ScalarType, items: Scalar[]): Buffer {
  if (type === 'string') return Buffer.from(items.map((s) => String(s) + '\u0000').join(''), 'utf16le');
  if (type === 'ansi') return Buffer.from(items.map((s) => String(s) + '\u0000').join(''), 'latin1');
  return Buffer.concat(items.map((x) => scalarBytes(type, x)));
}
