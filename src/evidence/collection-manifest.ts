// A zip written by `exhunt collect` carries exhunt-collection.json: what could not be read on the server,
// and why. Those gaps belong in the coverage account of a scan of the zip, as they are in `scan --live`.
// The manifest is evidence like the rest (possibly tampered with): read capped, parsed defensively,
// and it only ever adds "not collected" entries, never removes or vouches for anything.
import { readFile, stat } from 'node:fs/promises';
import type { WalkSkip } from './walk.js';

export const COLLECTION_MANIFEST = 'exhunt-collection.json';
const CAP = 64 << 20;
const MAX_ENTRIES = 100_000;

/** The manifest's unreadable list as skip entries; [] when there is no usable manifest. */
export async function manifestSkips(files: { path: string; absPath: string }[]): Promise<WalkSkip[]> {
  const m = files.find((f) => f.path === COLLECTION_MANIFEST);
  if (!m) return [];
  try {
    if ((await stat(m.absPath)).size > CAP) return [{ path: COLLECTION_MANIFEST, reason: 'collection manifest over 64 MiB: its list of unreadable items was not read' }];
    const j = JSON.parse(await readFile(m.absPath, 'utf8')) as { format?: unknown; unreadable?: unknown };
    if (typeof j.format !== 'string' || !j.format.startsWith('exhunt-collection/') || !Array.isArray(j.unreadable)) return [];
    const out: WalkSkip[] = [];
    for (const u of j.unreadable.slice(0, MAX_ENTRIES) as unknown[]) {
      const e = u as { path?: unknown; reason?: unknown };
      if (typeof e?.path === 'string' && typeof e.reason === 'string') out.push({ path: e.path.slice(0, 4096), reason: e.reason.slice(0, 1000) });
    }
    return out;
  } catch (e) {
    return [{ path: COLLECTION_MANIFEST, reason: `collection manifest not readable: ${(e as Error).message.slice(0, 200)}` }];
  }
}
