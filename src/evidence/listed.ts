// A collection made from a list of files rather than one folder: `exhunt scan --live` reads the evidence
// where it lies on the server (and exported event logs from a temporary folder). Each file is classified
// exactly as openCollection classifies a walked one, under the collection-relative path it is given.
import { classify } from './classify.js';
import type { Collection, EvidenceFile } from './gather.js';
import { readHead } from './hash.js';
import { logicalPath } from './logical-path.js';
import type { WalkedFile, WalkSkip } from './walk.js';

export async function collectionFromList(root: string, listed: WalkedFile[], skipped: WalkSkip[], close: () => Promise<void>): Promise<Collection> {
  const files: EvidenceFile[] = [];
  const skip = [...skipped];
  for (const f of listed) {
    const logical = logicalPath(f.path);
    let head: Buffer;
    try {
      head = await readHead(f.absPath);
    } catch (e) {
      skip.push({ path: f.path, reason: `not readable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    files.push({ ...f, logical, ...classify(logical, head) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root, source: 'folder', files, skipped: skip, close };
}
