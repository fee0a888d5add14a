// The --live and --nice parts of `exhunt scan`, kept apart from scan.ts: which host to read (this Windows
// server, or a disk mounted with --mount C=DIR), lowering the priority, and the live scan itself.
import { mountedHost } from '../live/mounted.js';
import { windowsHost, type Host } from '../live/host.js';
import { lowerPriority, niceThreads } from '../live/nice.js';
import { scanLive } from '../live/scan-live.js';
import { bool, list, str, UsageError, type Parsed } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { createProgress } from './progress.js';
import { exitCodeFor, scanOptionsFrom, writeReport } from './scan.js';


/** The host --live and collect read: the disks given with --mount, else this machine when it is Windows. */
export function hostFromFlags(p: Parsed): Host {
  const mounts = list(p, 'mount');
  const name = str(p, 'host');
  if (mounts.length) {
    const drives: Record<string, string> = {};
    for (const m of mounts) {
      const hit = /^([A-Za-z])=(.+)$/.exec(m);
      if (!hit) throw new UsageError(`--mount wants LETTER=FOLDER (C=/mnt/c), not ${m}`);
      drives[hit[1]!.toUpperCase()] = hit[2]!;
    }
    return mountedHost({ name: name ?? 'mounted-disk', drives });
  }
  if (process.platform !== 'win32') throw new UsageError('reading a live server works on the Windows Exchange server itself; here, give a collection, or a mounted copy of its disk with --mount C=DIR');
  const h = windowsHost();
  return name ? { ...h, name } : h;
}

/** Applies --nice; runs the whole scan when --live is given (returns its exit code), else returns undefined. */
export async function scanLiveCallout(p: Parsed, io: CliIo): Promise<number | undefined> {
  const notes: string[] = [];
  if (bool(p, 'nice')) notes.push(lowerPriority());
  if (!bool(p, 'live')) {
    if (list(p, 'mount').length) throw new UsageError('--mount goes with --live');
    if (notes.length) io.stderr.write(`exhunt: ${notes.join(' ')}\n`);
    return undefined;
  }
  if (p.positionals.length) throw new UsageError('--live reads this server: give no COLLECTION');
  const host = hostFromFlags(p);
  const opts = scanOptionsFrom(p);
  if (bool(p, 'nice') && opts.threads === undefined) opts.threads = niceThreads();
  const range = { ...(opts.since !== undefined ? { since: opts.since } : {}), ...(opts.until !== undefined ? { until: opts.until } : {}) };
  const progress = createProgress(io.stderr);
  if (!bool(p, 'quiet')) opts.onProgress = (d, t) => progress.update(d, t);
  const result = await scanLive(host, { ...opts, range });
  progress.finish();
  for (const h of result.hosts) h.coverage.notes.push(...notes);
  await writeReport(result, p, io);
  return exitCodeFor(result);
}
