// Test fixtures written by hand: a minimal PE image with a version resource, .reg exports, temp collections.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CollectionFile } from '../../src/detect/exchange/collection-files.js';

/** A PE32 file whose only section holds an RT_VERSION resource with the given four-part FileVersion. */
export function makePe(version: [number, number, number, number], fileVersionString?: string): Buffer {
  const [a, b, c, d] = version;
  const key = Buffer.from('VS_VERSION_INFO\0', 'utf16le'); // 32 bytes
  const fixed = Buffer.alloc(52);
  fixed.writeUInt32LE(0xfeef04bd, 0);
  fixed.writeUInt32LE(0x10000, 4);
  fixed.writeUInt32LE(((a << 16) | b) >>> 0, 8);
  fixed.writeUInt32LE(((c << 16) | d) >>> 0, 12);
  fixed.writeUInt32LE(((a << 16) | b) >>> 0, 16);
  fixed.writeUInt32LE(((c << 16) | d) >>> 0, 20);
  const strKey = Buffer.from('FileVersion\0', 'utf16le'); // 24 bytes
  const strVal = Buffer.from((fileVersionString ?? `${a}.${b}.${c}.${d}`) + '\0', 'utf16le');
  const head = Buffer.alloc(6);
  const vi = Buffer.concat([head, key, Buffer.alloc(2), fixed, Buffer.alloc(8), strKey, strVal]);
  vi.writeUInt16LE(vi.length, 0);
  vi.writeUInt16LE(52, 2);
  const rsrc = Buffer.alloc(88 + vi.length);
  // root directory: one ID entry (16 = RT_VERSION) -> subdirectory at 24
  rsrc.writeUInt16LE(1, 14);
  rsrc.writeUInt32LE(16, 16);
  rsrc.writeUInt32LE((0x80000000 | 24) >>> 0, 20);
  // name directory -> language directory at 48
  rsrc.writeUInt16LE(1, 24 + 14);
  rsrc.writeUInt32LE(1, 24 + 16);
  rsrc.writeUInt32LE((0x80000000 | 48) >>> 0, 24 + 20);
  // language directory -> data entry at 72
  rsrc.writeUInt16LE(1, 48 + 14);
  rsrc.writeUInt32LE(0x409, 48 + 16);
  rsrc.writeUInt32LE(72, 48 + 20);
  // data entry: RVA and size of the VS_VERSIONINFO
  rsrc.writeUInt32LE(0x1000 + 88, 72);
  rsrc.writeUInt32LE(vi.length, 76);
  vi.copy(rsrc, 88);
  const file = Buffer.alloc(0x200 + rsrc.length);
  file.write('MZ', 0, 'latin1');
  file.writeUInt32LE(0x40, 0x3c);
  file.write('PE\0\0', 0x40, 'latin1');
  const coff = 0x44;
  file.writeUInt16LE(0x14c, coff);
  file.writeUInt16LE(1, coff + 2);
  file.writeUInt16LE(224, coff + 16);
  const opt = coff + 20;
  file.writeUInt16LE(0x10b, opt);
  file.writeUInt32LE(16, opt + 92);
  file.writeUInt32LE(0x1000, opt + 96 + 16);
  file.writeUInt32LE(rsrc.length, opt + 96 + 20);
  const sec = opt + 224;
  file.write('.rsrc', sec, 'latin1');
  file.writeUInt32LE(rsrc.length, sec + 8);
  file.writeUInt32LE(0x1000, sec + 12);
  file.writeUInt32LE(rsrc.length, sec + 16);
  file.writeUInt32LE(0x200, sec + 20);
  rsrc.copy(file, 0x200);
  return file;
}

/** .reg text encoded as regedit writes it: UTF-16LE with a BOM, CRLF line ends. */
export function regUtf16(lines: string[]): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf16le')]);
}

export interface TempCollection { root: string; files: CollectionFile[]; add(path: string, data: string | Buffer): void; cleanup(): void }

/** A temporary collection folder; `path` is the collection-relative posix path. */
export function tempCollection(prefix = 'exhunt-exch-'): TempCollection {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const files: CollectionFile[] = [];
  return {
    root,
    files,
    add(path, data) {
      const abs = join(root, ...path.split('/'));
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, data);
      files.push({ path, absPath: abs, size: Buffer.byteLength(data) });
    },
    cleanup() { rmSync(root, { recursive: true, force: true }); },
  };
}
