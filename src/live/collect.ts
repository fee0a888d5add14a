// `exhunt collect`: the live evidence packed into one zip for analysis elsewhere, with a manifest
// (exhunt-collection.json, the last member) holding every member's SHA-256 and origin, the collection
// metadata and what could not be read and why. The zip is written as OUT.partial and renamed when done;
// a full disk cuts the archive back to whole members, adds the manifest marked incomplete, and names the
// file *.partial.zip so nobody mistakes it for a complete collection.
import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { VERSION } from '../version.js';
import type { Unreadable } from './discover.js';
import type { Range } from './enumerate.js';
import { gatherLive } from './gather-live.js';
import type { Host } from './host.js';
import { formatWinPath } from './win-path.js';
import { fileSink, SinkError, ZipWriter, type ByteSink } from './zip-writer.js';

export const MANIFEST_NAME = 'exhunt-collection.json';
export const MANIFEST_FORMAT = 'exhunt-collection/1';

export interface ManifestFile {
  member: string;
  origin: string;
  how: string;
  size: number;
  sha256: string;
  mtime: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  complete: boolean;
  error?: string;
  host: string;
  tool: { name: 'exhunt'; version: string };
  /** host clock at start and end of the collection */
  started: string;
  finished: string;
  range: { since?: string; until?: string };
  exchange: { installPath?: string; foundBy?: string };
  sources: { what: string; path: string }[];
  files: ManifestFile[];
  unreadable: Unreadable[];
  /** members removed to fit the manifest on a full disk */
  dropped: string[];
  notes: string[];
}

export interface CollectOptions {
  out: string;
  range?: Range;
  onProgress?: (done: number, total: number) => void;
  /** for tests: where the archive bytes go (default: the file OUT.partial) */
  sink?: (path: string) => Promise<ByteSink>;
}

export interface CollectResult {
  /** the file written: OUT, or *.partial.zip when incomplete */
  path: string;
  manifest: Manifest;
}

export class CollectError extends Error {}

export function partialName(out: string): string {
  return /\.zip$/i.test(out) ? out.replace(/\.zip$/i, '.partial.zip') : out + '.partial.zip';
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export async function collect(host: Host, o: CollectOptions): Promise<CollectResult> {
  const range = o.range ?? {};
  const started = host.now();
  const temp = o.out + '.partial';
  let sink: ByteSink;
  try {
    sink = await (o.sink ?? fileSink)(temp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CollectError(code === 'EEXIST' ? `${temp} already exists (an earlier collection that did not finish?); remove it or choose another --out` : `cannot write ${temp}: ${code ?? String(e)}`);
  }
  const zip = new ZipWriter(sink);
  const ev = await gatherLive(host, range).catch(async (e: unknown) => { await zip.abandon(); await rm(temp, { force: true }); throw e; });
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, complete: true, host: host.name, tool: { name: 'exhunt', version: VERSION },
    started: new Date(started).toISOString(), finished: '',
    range: { ...(range.since !== undefined ? { since: iso(range.since)! } : {}), ...(range.until !== undefined ? { until: iso(range.until)! } : {}) },
    exchange: ev.plan.installPath ? { installPath: formatWinPath(ev.plan.installPath), ...(ev.plan.installFrom ? { foundBy: ev.plan.installFrom } : {}) } : {},
    sources: ev.plan.sources.map((s) => ({ what: s.what, path: formatWinPath(s.dir) })),
    files: [], unreadable: [...ev.unreadable], dropped: [], notes: [...ev.notes],
  };
  const total = ev.files.reduce((s, f) => s + f.size, 0);
  let done = 0;
  try {
    for (const f of ev.files) {
      // a live log keeps growing: take the bytes that were there when it was listed
      const src = f.size > 0 ? createReadStream(f.local, { start: 0, end: f.size - 1, highWaterMark: 1 << 20 }) : (async function* () {})();
      try {
        const r = await zip.add(f.member, src, { mtime: f.mtime, sizeHint: f.size });
        manifest.files.push({ member: f.member, origin: f.origin, how: f.how, size: r.size, sha256: r.sha256, mtime: new Date(f.mtime).toISOString() });
      } catch (e) {
        if (e instanceof SinkError) {
          manifest.complete = false;
          manifest.error = `writing the zip failed at ${f.member}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ');
          break;
        }
        manifest.unreadable.push({ path: f.origin, reason: `not readable while copying: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      }
      done += f.size;
      o.onProgress?.(done, total);
    }
  } finally {
    await ev.cleanup();
  }
  if (!manifest.complete) {
    const left = ev.files.length - manifest.files.length;
    manifest.notes.push(`INCOMPLETE: ${left} of ${ev.files.length} files are not in this zip (${manifest.error}).`);
  }
  // The manifest goes last; on a full disk, members are removed from the end until it fits.
  for (;;) {
    manifest.finished = new Date(host.now()).toISOString();
    const body = Buffer.from(JSON.stringify(manifest, null, 1) + '\n');
    let added = false;
    try {
      await zip.addBuffer(MANIFEST_NAME, body, host.now());
      added = true;
      await zip.finish(manifest.complete ? 'exhunt collection' : 'exhunt collection: INCOMPLETE, see exhunt-collection.json');
      break;
    } catch (e) {
      if (!(e instanceof SinkError)) throw e;
      if (added) await zip.dropLast();
      manifest.complete = false;
      manifest.error ??= `writing the zip failed: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ');
      const dropped = zip.count > 0 ? await zip.dropLast().catch(() => undefined) : undefined;
      if (dropped === undefined) {
        await zip.abandon().catch(() => undefined);
        throw new CollectError(`${manifest.error}; not even the manifest fits: ${temp} is not a usable zip. Free space and collect again.`);
      }
      manifest.dropped.push(dropped);
      manifest.files = manifest.files.filter((m) => m.member !== dropped);
    }
  }
  const final = manifest.complete ? o.out : partialName(o.out);
  await rename(temp, final).catch((e: NodeJS.ErrnoException) => { throw new CollectError(`the zip is complete as ${temp} but could not be renamed to ${final}: ${e.code ?? e.message}`); });
  return { path: final, manifest };
}
