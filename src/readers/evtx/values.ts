// Formatting of binary XML substitution values, as Windows renders them in event XML
// (hex integers unpadded like "0x3e7", which is what Sigma rules match; GUIDs upper case with braces).
// Reference: libyal's "Windows XML Event Log (EVTX)" format documentation, value types table.

export const VT = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  Array: 0x80,
} as const;

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0').toUpperCase());

export function hexUpper(b: Buffer, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[b[i]!];
  return s;
}

/** Windows' GUID rendering: {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, first three groups little-endian. */
export function formatGuid(b: Buffer, p: number): string {
  return (
    '{' +
    HEX[b[p + 3]!]! + HEX[b[p + 2]!] + HEX[b[p + 1]!] + HEX[b[p]!] + '-' +
    HEX[b[p + 5]!] + HEX[b[p + 4]!] + '-' +
    HEX[b[p + 7]!] + HEX[b[p + 6]!] + '-' +
    HEX[b[p + 8]!] + HEX[b[p + 9]!] + '-' +
    hexUpper(b, p + 10, p + 16) +
    '}'
  );
}

export function formatSid(b: Buffer, p: number, size: number): string | undefined {
  if (size < 8) return undefined;
  const rev = b[p]!;
  const n = b[p + 1]!;
  if (8 + n * 4 > size) return undefined;
  // 48-bit big-endian authority
  const auth = b.readUIntBE(p + 2, 6);
  let s = 'S-' + rev + '-' + auth;
  for (let i = 0; i < n; i++) s += '-' + b.readUInt32LE(p + 8 + i * 4);
  return s;
}

const EPOCH_DIFF_S = 11644473600; // seconds from 1601-01-01 to 1970-01-01

/** FILETIME (100 ns since 1601) split into whole seconds and the 100 ns remainder, exactly. */
function filetimeParts(lo: number, hi: number): [number, number] {
  if (hi < 0x10000000) {
    // hi*2^32 = hi*429*1e7 + hi*4967296; the remainder term stays below 2^53 for this range
    const r = hi * 4967296 + lo;
    return [hi * 429 + Math.floor(r / 1e7), r % 1e7];
  }
  const v = (BigInt(hi) << 32n) | BigInt(lo);
  return [Number(v / 10000000n), Number(v % 10000000n)];
}

/** "2016-07-08T18:12:51.681640800Z" (Windows renders 9 fraction digits), or undefined past year 9999. */
export function formatFiletime(lo: number, hi: number): string {
  const [secs, frac] = filetimeParts(lo, hi);
  const ms = (secs - EPOCH_DIFF_S) * 1000;
  if (!(ms <= 253402300799000)) return '0x' + ((BigInt(hi) << 32n) | BigInt(lo)).toString(16);
  const iso = new Date(ms).toISOString();
  return iso.slice(0, 19) + '.' + String(frac).padStart(7, '0') + '00Z';
}

/** epoch ms of a FILETIME */
export function filetimeMs(lo: number, hi: number): number {
  const [secs, frac] = filetimeParts(lo, hi);
  return (secs - EPOCH_DIFF_S) * 1000 + Math.floor(frac / 10000);
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export function formatSystemtime(b: Buffer, p: number): string {
  const y = b.readUInt16LE(p);
  const mo = b.readUInt16LE(p + 2);
  const d = b.readUInt16LE(p + 6);
  const h = b.readUInt16LE(p + 8);
  const mi = b.readUInt16LE(p + 10);
  const s = b.readUInt16LE(p + 12);
  const ms = b.readUInt16LE(p + 14);
  return (
    String(y).padStart(4, '0') + '-' + pad2(mo) + '-' + pad2(d) + 'T' + pad2(h) + ':' + pad2(mi) + ':' + pad2(s) + '.' +
    String(ms).padStart(3, '0') + '000000Z'
  );
}

/** UTF-16LE without trailing NULs */
export function utf16(b: Buffer, start: number, end: number): string {
  let e = end - ((end - start) & 1);
  while (e - 2 >= start && b[e - 1] === 0 && b[e - 2] === 0) e -= 2;
  return wellFormed(b.toString('utf16le', start, e));
}

/** Lone surrogates (broken UTF-16 in the file) become U+FFFD, so every output encodes cleanly. */
export function wellFormed(s: string): string {
  const w = s as string & { isWellFormed(): boolean; toWellFormed(): string };
  return w.isWellFormed() ? s : w.toWellFormed();
}

function u64(b: Buffer, p: number): bigint {
  return b.readBigUInt64LE(p);
}

/** Size of one element of a fixed-size type, 0 for variable-size types. */
export function fixedSize(type: number, size: number): number {
  switch (type) {
    case VT.Int8: case VT.UInt8: return 1;
    case VT.Int16: case VT.UInt16: return 2;
    case VT.Int32: case VT.UInt32: case VT.Real32: case VT.Bool: case VT.HexInt32: return 4;
    case VT.Int64: case VT.UInt64: case VT.Real64: case VT.FileTime: case VT.HexInt64: return 8;
    case VT.Guid: case VT.SysTime: return 16;
    case VT.SizeT: return size === 4 || size % 8 !== 0 ? 4 : 8;
    default: return 0;
  }
}

function formatReal(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? 'INF' : v < 0 ? '-INF' : 'NAN';
}

/**
 * One scalar value of a fixed or variable size type at b[p, p+size). Returns undefined when the bytes
 * cannot hold the type (the caller then renders hex).
 */
export function formatScalar(b: Buffer, type: number, p: number, size: number): string | undefined {
  switch (type) {
    case VT.String: return utf16(b, p, p + size);
    case VT.AnsiString: {
      let e = p + size;
      while (e > p && b[e - 1] === 0) e--;
      return b.toString('latin1', p, e);
    }
    case VT.Int8: return size >= 1 ? String(b.readInt8(p)) : undefined;
    case VT.UInt8: return size >= 1 ? String(b[p]) : undefined;
    case VT.Int16: return size >= 2 ? String(b.readInt16LE(p)) : undefined;
    case VT.UInt16: return size >= 2 ? String(b.readUInt16LE(p)) : undefined;
    case VT.Int32: return size >= 4 ? String(b.readInt32LE(p)) : undefined;
    case VT.UInt32: return size >= 4 ? String(b.readUInt32LE(p)) : undefined;
    case VT.Int64: return size >= 8 ? String(b.readBigInt64LE(p)) : undefined;
    case VT.UInt64: return size >= 8 ? String(u64(b, p)) : undefined;
    case VT.Real32: return size >= 4 ? formatReal(b.readFloatLE(p)) : undefined;
    case VT.Real64: return size >= 8 ? formatReal(b.readDoubleLE(p)) : undefined;
    case VT.Bool: return size >= 4 ? (b.readUInt32LE(p) !== 0 ? 'true' : 'false') : size >= 1 ? (b[p] ? 'true' : 'false') : undefined;
    case VT.Guid: return size >= 16 ? formatGuid(b, p) : undefined;
    case VT.SizeT:
      if (size === 4) return '0x' + b.readUInt32LE(p).toString(16);
      return size >= 8 ? '0x' + u64(b, p).toString(16) : undefined;
    case VT.FileTime: return size >= 8 ? formatFiletime(b.readUInt32LE(p), b.readUInt32LE(p + 4)) : undefined;
    case VT.SysTime: return size >= 16 ? formatSystemtime(b, p) : undefined;
    case VT.Sid: return formatSid(b, p, size);
    case VT.HexInt32: return size >= 4 ? '0x' + b.readUInt32LE(p).toString(16) : undefined;
    case VT.HexInt64: return size >= 8 ? '0x' + u64(b, p).toString(16) : undefined;
    case VT.Binary: return hexUpper(b, p, p + size);
    case VT.EvtXml: return utf16(b, p, p + size);
    default: return undefined;
  }
}

/** An array value (type | 0x80) as its items, or undefined when the bytes do not divide into items. */
export function formatArray(b: Buffer, base: number, p: number, size: number): string[] | undefined {
  if (base === VT.String) {
    // each item is NUL-terminated; an empty last item is still an item
    let s = b.toString('utf16le', p, p + size - (size & 1));
    if (s.endsWith('\u0000')) s = s.slice(0, -1);
    return wellFormed(s).split('\u0000');
  }
  if (base === VT.AnsiString) {
    const s = formatScalar(b, base, p, size) ?? '';
    return s.split('\u0000');
  }
  if (base === VT.Sid) {
    const out: string[] = [];
    let q = p;
    const end = p + size;
    while (q + 8 <= end) {
      const n = b[q + 1]!;
      const len = 8 + n * 4;
      if (q + len > end) return undefined;
      out.push(formatSid(b, q, len)!);
      q += len;
    }
    return q === end ? out : undefined;
  }
  const w = fixedSize(base, size);
  if (w === 0 || size % w !== 0) return undefined;
  const out: string[] = [];
  for (let q = p; q < p + size; q += w) {
    const v = formatScalar(b, base, q, w);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}
