// Unpack a collection .zip into a private temporary folder, member by member, streaming, refusing
// anything that could escape the folder or exhaust the disk. The .zip itself is only read.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { WalkSkip } from './walk.js';

export interface ZipLimits {
  /** largest member, uncompressed */
  maxMemberBytes: number;
  /** all members together, uncompressed */
  maxTotalBytes: number;
  maxEntries: number;
  /** uncompressed/compressed beyond this (for members over 1 MiB) is a zip bomb */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxMemberBytes: 16 * 2 ** 30,
  maxTotalBytes: 256 * 2 ** 30,
  maxEntries: 2_000_000,
  maxRatio: 1000,
};

/** Why a member name is refused, or undefined when it is a safe relative path. */
export function unsafeMemberName(name: string): string | undefined {
  if (name.includes('\0')) return 'name contains a NUL byte';
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n) || n.startsWith('//')) return 'absolute path';
  if (n.split('/').some((part) => part === '..')) return 'path climbs out of the collection (..)';
  return undefined;
}

/** Member names are UTF-8 when the language-encoding flag is set, else CP437 (read as latin1 here). */
function memberName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  if (!Buffer.isBuffer(raw)) return String(raw);
  return raw.toString(entry.generalPurposeBitFlag & 0x800 ? 'utf8' : 'latin1');
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings off: yauzl would reject the whole archive on one hostile name; we refuse that member only.
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, decodeStrings: false }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error('cannot open zip'));
      else resolve(zip);
    });
  });
}

function byteLimiter(limit: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) cb(new Error(`${what}: more than ${limit} bytes when unpacked`));
      else cb(null, chunk);
    },
  });
}

export interface ZipUnpacked {
  dir: string;
  skipped: WalkSkip[];
}

export async function unpackZip(zipPath: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipUnpacked> {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-zip-'));
  const skipped: WalkSkip[] = [];
  const zip = await openZip(zipPath);
  const used = new Set<string>();
  let total = 0;
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: Entry) => {
      handle(entry).then(() => zip.readEntry(), reject);
    });
    zip.readEntry();
  });
  return { dir, skipped };

  async function handle(entry: Entry): Promise<void> {
    const name = memberName(entry).replace(/\\/g, '/');
    if (name.endsWith('/')) return;
    count++;
    if (count > limits.maxEntries) { skipped.push({ path: name, reason: `zip has more than ${limits.maxEntries} members: rest not unpacked` }); return; }
    const bad = unsafeMemberName(name);
    if (bad) { skipped.push({ path: name, reason: `zip member refused: ${bad}` }); return; }
    const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
    if (mode === 0o120000) { skipped.push({ path: name, reason: 'zip member refused: symbolic link' }); return; }
    if (entry.isEncrypted()) { skipped.push({ path: name, reason: 'zip member is encrypted: not read' }); return; }
    if (entry.uncompressedSize > limits.maxMemberBytes) { skipped.push({ path: name, reason: `zip member refused: ${entry.uncompressedSize} bytes is over the ${limits.maxMemberBytes}-byte limit` }); return; }
    if (entry.uncompressedSize > 2 ** 20 && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
      skipped.push({ path: name, reason: `zip member refused: compression ratio over ${limits.maxRatio}:1 (zip bomb)` }); return;
    }
    if (total + entry.uncompressedSize > limits.maxTotalBytes) { skipped.push({ path: name, reason: 'zip member refused: the collection would unpack to more than the total limit' }); return; }
    let rel = name;
    // Names that differ only in case collide on Windows-born collections; keep both.
    for (let i = 2; used.has(rel.toLowerCase()); i++) rel = `${name}~${i}`;
    used.add(rel.toLowerCase());
    const out = join(dir, ...rel.split('/').filter((p) => p !== '' && p !== '.'));
    await mkdir(dirname(out), { recursive: true });
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
    );
    try {
      await pipeline(stream, byteLimiter(Math.min(limits.maxMemberBytes, entry.uncompressedSize), name), createWriteStream(out, { flags: 'wx', mode: 0o600 }));
      total += entry.uncompressedSize;
    } catch (e) {
      skipped.push({ path: name, reason: `zip member could not be unpacked: ${(e as Error).message}` });
    }
  }
}
