// A streaming zip writer on node:zlib: members are deflated as they are read (flat memory whatever their
// size), CRC-32 and SHA-256 computed on the way, ZIP64 where sizes or offsets pass 4 GiB. A member whose
// source or destination fails is cut back off the file, so the archive stays valid up to the last good
// member and can still be finished (that is how a full disk yields a usable, partial collection).
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';

/** Where the archive bytes go; tests stand in one that fails like a full disk. */
export interface ByteSink {
  write(buf: Buffer): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export async function fileSink(path: string): Promise<ByteSink> {
  const fh: FileHandle = await open(path, 'wx', 0o600);
  let pos = 0;
  return {
    async write(buf) {
      let off = 0;
      while (off < buf.length) {
        const { bytesWritten } = await fh.write(buf, off, buf.length - off, pos);
        if (bytesWritten === 0) throw Object.assign(new Error('no bytes written'), { code: 'ENOSPC' });
        off += bytesWritten;
        pos += bytesWritten;
      }
    },
    async truncate(length) {
      await fh.truncate(length);
      pos = length;
    },
    close: () => fh.close(),
  };
}

/** The destination failed (full disk, I/O error): the member in progress was removed. */
export class SinkError extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(cause.message);
  }
  get code(): string | undefined {
    return this.cause.code;
  }
}

interface Entry {
  name: Buffer;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
  time: number;
  date: number;
  zip64: boolean;
}

const U32 = 0xffffffff;
/** Members this large get ZIP64 local headers: the deflated size can exceed the input slightly. */
const ZIP64_FROM = U32 - (64 << 20);

function dosDateTime(ms: number): { time: number; date: number } {
  // UTC, so the archive does not depend on the collecting machine's time zone; the manifest has exact times
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  const y = d.getUTCFullYear();
  if (y < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((Math.min(y, 2107) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export interface AddedMember {
  size: number;
  compressedSize: number;
  sha256: string;
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: Entry[] = [];
  /** forceZip64: every record in its ZIP64 form, as if every size and offset were past 4 GiB (tests) */
  constructor(private readonly sink: ByteSink, private readonly level = 1, private readonly forceZip64 = false) {}

  /** bytes written so far */
  get size(): number {
    return this.offset;
  }

  get count(): number {
    return this.entries.length;
  }

  private async put(buf: Buffer): Promise<void> {
    try {
      await this.sink.write(buf);
    } catch (e) {
      throw new SinkError(e as NodeJS.ErrnoException);
    }
    this.offset += buf.length;
  }

  /** Adds one member from a stream. On failure the member is removed and the error rethrown (SinkError for the destination). */
  async add(name: string, source: Readable | AsyncIterable<Buffer>, o: { mtime: number; sizeHint: number }): Promise<AddedMember> {
    const start = this.offset;
    const nameBuf = Buffer.from(name, 'utf8');
    const zip64 = this.forceZip64 || o.sizeHint >= ZIP64_FROM;
    const { time, date } = dosDateTime(o.mtime);
    const extra = zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (zip64) { extra.writeUInt16LE(1, 0); extra.writeUInt16LE(16, 2); }
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(zip64 ? 45 : 20, 4);
    lh.writeUInt16LE(0x0808, 6); // sizes in the data descriptor; UTF-8 name
    lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(time, 10);
    lh.writeUInt16LE(date, 12);
    if (zip64) { lh.writeUInt32LE(U32, 18); lh.writeUInt32LE(U32, 22); }
    lh.writeUInt16LE(nameBuf.length, 26);
    lh.writeUInt16LE(extra.length, 28);
    let crc = 0;
    let usize = 0;
    let csize = 0;
    const sha = createHash('sha256');
    try {
      await this.put(Buffer.concat([lh, nameBuf, extra]));
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          crc = crc32(chunk, crc);
          usize += chunk.length;
          sha.update(chunk);
          cb(null, chunk);
        },
      });
      const out = new Writable({
        write: (chunk: Buffer, _enc, cb) => {
          csize += chunk.length;
          this.put(chunk).then(() => cb(), cb);
        },
      });
      // large chunks: fewer, bigger writes to the destination
      await pipeline(source, tap, createDeflateRaw({ level: this.level, chunkSize: 256 << 10 }), out);
      const dd = Buffer.alloc(zip64 ? 24 : 16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc >>> 0, 4);
      if (zip64) { dd.writeBigUInt64LE(BigInt(csize), 8); dd.writeBigUInt64LE(BigInt(usize), 16); }
      else {
        if (csize >= U32 || usize >= U32) throw new Error(`${name}: grew past 4 GiB while being read`);
        dd.writeUInt32LE(csize, 8);
        dd.writeUInt32LE(usize, 12);
      }
      await this.put(dd);
    } catch (e) {
      await this.sink.truncate(start).catch(() => undefined);
      this.offset = start;
      throw e;
    }
    this.entries.push({ name: nameBuf, crc: crc >>> 0, csize, usize, offset: start, time, date, zip64 });
    return { size: usize, compressedSize: csize, sha256: sha.digest('hex') };
  }

  /** Adds a member from memory. */
  addBuffer(name: string, data: Buffer, mtime: number): Promise<AddedMember> {
    return this.add(name, (async function* () { yield data; })(), { mtime, sizeHint: data.length });
  }

  /** Removes the last member from the file (to make room on a full disk); returns its name. */
  async dropLast(): Promise<string | undefined> {
    const e = this.entries.pop();
    if (!e) return undefined;
    await this.sink.truncate(e.offset);
    this.offset = e.offset;
    return e.name.toString('utf8');
  }

  /** Writes the central directory and the end records, and closes the sink. On failure the file is cut back to the last member. */
  async finish(comment = ''): Promise<void> {
    const cdStart = this.offset;
    try {
      await this.writeDirectory(cdStart, comment);
    } catch (e) {
      await this.sink.truncate(cdStart).catch(() => undefined);
      this.offset = cdStart;
      throw e;
    }
    await this.sink.close();
  }

  /** Closes the sink without finishing (the file is not a valid zip). */
  abandon(): Promise<void> {
    return this.sink.close();
  }

  private async writeDirectory(cdStart: number, comment: string): Promise<void> {
    for (const e of this.entries) {
      const f = this.forceZip64;
      const big = [f || e.usize >= U32, f || e.csize >= U32, f || e.offset >= U32];
      const fields = [e.usize, e.csize, e.offset].filter((_v, i) => big[i]);
      const extra = Buffer.alloc(fields.length ? 4 + 8 * fields.length : 0);
      if (fields.length) {
        extra.writeUInt16LE(1, 0);
        extra.writeUInt16LE(8 * fields.length, 2);
        fields.forEach((v, i) => extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
      }
      const needs64 = e.zip64 || fields.length > 0;
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(needs64 ? 45 : 20, 4); // made by: MS-DOS attributes
      h.writeUInt16LE(needs64 ? 45 : 20, 6);
      h.writeUInt16LE(0x0808, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(e.time, 12);
      h.writeUInt16LE(e.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(big[1] ? U32 : e.csize, 20);
      h.writeUInt32LE(big[0] ? U32 : e.usize, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt16LE(extra.length, 30);
      h.writeUInt32LE(big[2] ? U32 : e.offset, 42);
      await this.put(Buffer.concat([h, e.name, extra]));
    }
    const cdSize = this.offset - cdStart;
    const n = this.entries.length;
    const z64 = this.forceZip64 || n >= 0xffff || cdStart >= U32 || cdSize >= U32;
    if (z64) {
      const z = Buffer.alloc(56 + 20);
      const at = this.offset;
      z.writeUInt32LE(0x06064b50, 0);
      z.writeBigUInt64LE(44n, 4);
      z.writeUInt16LE(45, 12);
      z.writeUInt16LE(45, 14);
      z.writeBigUInt64LE(BigInt(n), 24);
      z.writeBigUInt64LE(BigInt(n), 32);
      z.writeBigUInt64LE(BigInt(cdSize), 40);
      z.writeBigUInt64LE(BigInt(cdStart), 48);
      z.writeUInt32LE(0x07064b50, 56);
      z.writeBigUInt64LE(BigInt(at), 64);
      z.writeUInt32LE(1, 72);
      await this.put(z);
    }
    const c = Buffer.from(comment, 'utf8').subarray(0, 0xffff);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(z64 ? 0xffff : n, 8);
    end.writeUInt16LE(z64 ? 0xffff : n, 10);
    end.writeUInt32LE(z64 ? U32 : cdSize, 12);
    end.writeUInt32LE(z64 ? U32 : cdStart, 16);
    end.writeUInt16LE(c.length, 20);
    await this.put(Buffer.concat([end, c]));
  }
}
