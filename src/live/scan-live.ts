// `exhunt scan --live`: the evidence read where it lies on the server, through the same scan pipeline as a
// collection. The files keep the member names `collect` would give them, so the two reports match.
import { collectionFromList } from '../evidence/listed.js';
import { scanOpened, type ScanOptions } from '../scan/run-scan.js';
import type { ScanResult } from '../types.js';
import type { Range } from './enumerate.js';
import { gatherLive, liveSummary } from './gather-live.js';
import type { Host } from './host.js';

export async function scanLive(host: Host, opts: ScanOptions & { range?: Range } = {}): Promise<ScanResult> {
  const started = host.now();
  const ev = await gatherLive(host, opts.range ?? {});
  try {
    const listed = ev.files.map((f) => ({ path: f.member, absPath: f.local, size: f.size, mtime: new Date(f.mtime).toISOString() }));
    const skipped = ev.unreadable.map((u) => ({ path: u.path, reason: u.reason }));
    const col = await collectionFromList(ev.tmp, listed, skipped, async () => undefined);
    const result = await scanOpened(col, host.name, opts, started, () => undefined);
    for (const h of result.hosts) h.coverage.notes.push(liveSummary(ev), ...ev.notes);
    return result;
  } finally {
    await ev.cleanup();
  }
}
