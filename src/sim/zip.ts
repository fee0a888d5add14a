// An in-memory ZIP writer for generated evidence and test fixtures: stored or deflated members with any
// name and unix mode, hostile ones included (absolute paths, '..', links), which ordinary tools refuse to
// write. Collections made on a server use the streaming writer in src/live/zip-writer.ts instead.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipMember {
  name: string;
  data: Uint8Array | string;
  deflate?: boolean;
  /** unix mode in the high bits of the external attributes (e.g. 0o120777 for a symlink) */
  unixMode?: number;
}

/** DOS date and time of 2021-03-02 06:00 (any fixed value keeps generated archives deterministic). */
const DOS_TIME = 0x3000;
const DOS_DATE = 0x5262;

export function buildZip(members: ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const raw = typeof m.data === 'string' ? Buffer.from(m.data) : Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    const body = m.deflate ? deflateRawSync(raw) : raw;
    const name = Buffer.from(m.name);
    const crc = crc32(raw);
    const method = m.deflate ? 8 : 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0x0800, 6); lh.writeUInt16LE(method, 8);
    lh.writeUInt16LE(DOS_TIME, 10); lh.writeUInt16LE(DOS_DATE, 12);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(body.length, 18); lh.writeUInt32LE(raw.length, 22); lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, body);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(0x031e, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0x0800, 8); ch.writeUInt16LE(method, 10);
    ch.writeUInt16LE(DOS_TIME, 12); ch.writeUInt16LE(DOS_DATE, 14);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(body.length, 20); ch.writeUInt32LE(raw.length, 24); ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((m.unixMode ?? 0o100644) << 16) >>> 0, 38); ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(members.length, 8); end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Every file below `dir`, deflated into one zip with forward-slash member names (a collection as uploaded). */
export async function zipFolder(dir: string): Promise<Buffer> {
  const members: ZipMember[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else members.push({ name: relative(dir, p).split('\\').join('/'), data: await readFile(p), deflate: true });
    }
  };
  await walk(dir);
  return buildZip(members);
}
