// Evidence intake: open a folder or .zip, walk it, classify every file. The result lists every file,
// including the ones no reader takes and the ones refused, so the coverage account is complete.
import { rm, stat } from 'node:fs/promises';
import type { ArtifactKind, LogType } from '../types.js';
import { mapConcurrent } from '../concurrent.js';
import { classify } from './classify.js';
import { manifestSkips } from './collection-manifest.js';
import { readHead } from './hash.js';
import { logicalPath } from './logical-path.js';
import { walkCollection, type WalkSkip } from './walk.js';
import { unpackZip, type ZipLimits } from './zip-extract.js';

export interface EvidenceFile {
  /** posix, relative to the collection root (inside the zip for a .zip) */
  path: string;
  /** lower-case Windows-style path without collector prefix */
  logical: string;
  absPath: string;
  size: number;
  mtime: string;
  kind: ArtifactKind;
  logType?: LogType;
  note?: string;
}

export interface Collection {
  /** the folder the paths are relative to (a private temporary copy for a .zip) */
  root: string;
  source: 'folder' | 'zip';
  files: EvidenceFile[];
  skipped: WalkSkip[];
  /** removes the temporary copy of a .zip; a folder is never touched */
  close(): Promise<void>;
}

export class EvidenceError extends Error {}

async function isZip(path: string): Promise<boolean> {
  const head = await readHead(path, 4);
  return head.length === 4 && head.readUInt32LE(0) === 0x04034b50;
}

export async function openCollection(input: string, zipLimits?: ZipLimits): Promise<Collection> {
  let st;
  try {
    st = await stat(input);
  } catch (e) {
    throw new EvidenceError(`cannot read ${input}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let root = input;
  let source: Collection['source'] = 'folder';
  const skipped: WalkSkip[] = [];
  if (st.isFile()) {
    if (!(await isZip(input))) throw new EvidenceError(`${input} is a file but not a .zip collection; give a folder or a .zip`);
    try {
      const unpacked = await unpackZip(input, zipLimits);
      root = unpacked.dir;
      skipped.push(...unpacked.skipped);
    } catch (e) {
      throw new EvidenceError(`${input} is not a readable zip: ${(e as Error).message}`);
    }
    source = 'zip';
  } else if (!st.isDirectory()) {
    throw new EvidenceError(`${input} is neither a folder nor a .zip`);
  }
  const files: EvidenceFile[] = [];
  const walked: Parameters<Parameters<typeof walkCollection>[1]>[0][] = [];
  await walkCollection(root, (f) => walked.push(f), (s) => skipped.push(s));
  // Reading each file's first bytes is latency-bound: keep several reads in flight.
  const heads = await mapConcurrent(walked, 32, (f) => readHead(f.absPath).catch((e: NodeJS.ErrnoException) => e));
  walked.forEach((f, i) => {
    const head = heads[i]!;
    if (!Buffer.isBuffer(head)) {
      skipped.push({ path: f.path, reason: `not readable: ${head.code ?? String(head)}` });
      return;
    }
    const logical = logicalPath(f.path);
    files.push({ ...f, logical, ...classify(logical, head) });
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // what `exhunt collect` could not read on the server is part of this collection's coverage
  skipped.push(...(await manifestSkips(files)));
  const tmp = source === 'zip' ? root : undefined;
  return {
    root,
    source,
    files,
    skipped,
    close: async () => {
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
}
