// Bounds-checked reader for the version resource (VS_VERSIONINFO) of a PE file such as ExSetup.exe.
// Every offset read from the file is checked against the buffer before use; a bad file gives an
// error string, never an exception or a read outside the buffer.

export interface PeVersion {
  /** from VS_FIXEDFILEINFO dwFileVersionMS/LS, e.g. '15.1.2507.16' */
  fileVersion?: string;
  productVersion?: string;
  /** the StringFileInfo 'FileVersion' text, e.g. '15.01.2507.016' */
  fileVersionString?: string;
  /** byte offset of VS_FIXEDFILEINFO in the file */
  offset?: number;
}

export type PeResult = { ok: true; version: PeVersion } | { ok: false; error: string };

const RT_VERSION = 16;
const FIXED_SIG = 0xfeef04bd;
const MAX_SECTIONS = 96;
const MAX_DIR_ENTRIES = 4096;

class Bad extends Error {}

function u16(b: Buffer, o: number): number {
  if (o < 0 || o + 2 > b.length) throw new Bad(`read past end at ${o}`);
  return b.readUInt16LE(o);
}
function u32(b: Buffer, o: number): number {
  if (o < 0 || o + 4 > b.length) throw new Bad(`read past end at ${o}`);
  return b.readUInt32LE(o);
}

interface Section { va: number; vsize: number; raw: number; rawSize: number }

function rvaToOffset(sections: Section[], rva: number, len: number, fileLen: number): number {
  for (const s of sections) {
    const size = Math.max(s.vsize, s.rawSize);
    if (rva >= s.va && rva + len <= s.va + size) {
      const off = s.raw + (rva - s.va);
      if (off + len > fileLen || rva - s.va + len > s.rawSize) throw new Bad('resource data outside the section raw data');
      return off;
    }
  }
  throw new Bad(`RVA 0x${rva.toString(16)} is in no section`);
}

/** Entries of one IMAGE_RESOURCE_DIRECTORY: [id or -1 for named, offsetToData]. */
function dirEntries(b: Buffer, dirOff: number): Array<[number, number]> {
  const named = u16(b, dirOff + 12);
  const ids = u16(b, dirOff + 14);
  const n = named + ids;
  if (n > MAX_DIR_ENTRIES) throw new Bad('resource directory too large');
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const e = dirOff + 16 + i * 8;
    const name = u32(b, e);
    const data = u32(b, e + 4);
    out.push([name & 0x80000000 ? -1 : name, data]);
  }
  return out;
}

function fmt(ms: number, ls: number): string {
  return `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
}

/** Read the FileVersion of a PE image held in `b`. */
export function readPeVersion(b: Buffer): PeResult {
  try {
    if (b.length < 64 || b[0] !== 0x4d || b[1] !== 0x5a) return { ok: false, error: 'not a PE file (no MZ header)' };
    const pe = u32(b, 0x3c);
    if (u32(b, pe) !== 0x00004550) return { ok: false, error: 'not a PE file (no PE signature)' };
    const coff = pe + 4;
    const nSections = u16(b, coff + 2);
    const optSize = u16(b, coff + 16);
    if (nSections === 0 || nSections > MAX_SECTIONS) return { ok: false, error: `implausible section count ${nSections}` };
    const opt = coff + 20;
    const magic = u16(b, opt);
    let dirBase: number, nDirs: number;
    if (magic === 0x10b) { nDirs = u32(b, opt + 92); dirBase = opt + 96; }
    else if (magic === 0x20b) { nDirs = u32(b, opt + 108); dirBase = opt + 112; }
    else return { ok: false, error: `unknown optional header magic 0x${magic.toString(16)}` };
    if (nDirs < 3 || dirBase + 3 * 8 > opt + optSize) return { ok: false, error: 'no resource directory' };
    const rsrcRva = u32(b, dirBase + 16);
    const rsrcSize = u32(b, dirBase + 20);
    if (rsrcRva === 0 || rsrcSize === 0) return { ok: false, error: 'no resources' };
    const sections: Section[] = [];
    const secBase = opt + optSize;
    for (let i = 0; i < nSections; i++) {
      const s = secBase + i * 40;
      sections.push({ vsize: u32(b, s + 8), va: u32(b, s + 12), rawSize: u32(b, s + 16), raw: u32(b, s + 20) });
    }
    const root = rvaToOffset(sections, rsrcRva, 16, b.length);
    const rsrcEnd = root + rsrcSize;
    const sub = (off: number): number => {
      // subdirectory and data-entry offsets are relative to the resource root and must stay inside it
      const o = root + (off & 0x7fffffff);
      if (o < root || o + 16 > Math.min(b.length, rsrcEnd + 16)) throw new Bad('resource offset outside the resource section');
      return o;
    };
    const typeEntry = dirEntries(b, root).find(([id]) => id === RT_VERSION);
    if (!typeEntry) return { ok: false, error: 'no version resource' };
    if (!(typeEntry[1] & 0x80000000)) return { ok: false, error: 'malformed resource tree' };
    const nameDir = sub(typeEntry[1]);
    const nameEntry = dirEntries(b, nameDir)[0];
    if (!nameEntry || !(nameEntry[1] & 0x80000000)) return { ok: false, error: 'malformed resource tree' };
    const langDir = sub(nameEntry[1]);
    const langEntry = dirEntries(b, langDir)[0];
    if (!langEntry || langEntry[1] & 0x80000000) return { ok: false, error: 'malformed resource tree' };
    const dataEntry = sub(langEntry[1]);
    const dataRva = u32(b, dataEntry);
    const dataSize = u32(b, dataEntry + 4);
    if (dataSize < 92 || dataSize > 1 << 20) return { ok: false, error: `implausible version resource size ${dataSize}` };
    const vi = rvaToOffset(sections, dataRva, dataSize, b.length);
    return { ok: true, version: parseVersionInfo(b.subarray(vi, vi + dataSize), vi) };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, error: e.message };
    throw e;
  }
}

/** Parse a VS_VERSIONINFO block; `base` is its file offset (for evidence). */
export function parseVersionInfo(v: Buffer, base = 0): PeVersion {
  const out: PeVersion = {};
  // VS_VERSIONINFO: wLength, wValueLength, wType, L"VS_VERSION_INFO\0", pad to 4, VS_FIXEDFILEINFO
  const keyEnd = 6 + 32; // 15 UTF-16 chars + NUL
  const fixed = (keyEnd + 3) & ~3;
  if (v.length >= fixed + 52 && v.subarray(6, 36).toString('utf16le') === 'VS_VERSION_INFO' && u32(v, fixed) === FIXED_SIG) {
    out.fileVersion = fmt(u32(v, fixed + 8), u32(v, fixed + 12));
    out.productVersion = fmt(u32(v, fixed + 16), u32(v, fixed + 20));
    out.offset = base + fixed;
  } else {
    // tolerate odd layouts: look for the signature on a 4-byte boundary
    for (let o = 0; o + 52 <= v.length; o += 4) {
      if (v.readUInt32LE(o) === FIXED_SIG) {
        out.fileVersion = fmt(u32(v, o + 8), u32(v, o + 12));
        out.productVersion = fmt(u32(v, o + 16), u32(v, o + 20));
        out.offset = base + o;
        break;
      }
    }
  }
  const s = stringValue(v, 'FileVersion');
  if (s !== undefined) out.fileVersionString = s;
  return out;
}

/** A StringFileInfo value: the UTF-16 key, NUL, padding to 4 bytes, then the NUL-terminated value. */
function stringValue(v: Buffer, key: string): string | undefined {
  const needle = Buffer.from(key + '\0', 'utf16le');
  const at = v.indexOf(needle);
  if (at < 6) return undefined;
  let o = (at + needle.length + 3) & ~3;
  const end = Math.min(v.length, o + 256);
  let s = '';
  for (; o + 1 < end; o += 2) {
    const c = v.readUInt16LE(o);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s.length > 0 && /^[\x20-\x7e]+$/.test(s) ? s : undefined;
}
