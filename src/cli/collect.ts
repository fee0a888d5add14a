// exhunt collect --out EXCH01.zip: the same discovery as scan --live, packed into one zip with a manifest
// of SHA-256 hashes, to be scanned elsewhere with `exhunt scan EXCH01.zip`.
import { resolve } from 'node:path';
import { collect, CollectError } from '../live/collect.js';
import { lowerPriority } from '../live/nice.js';
import { bool, parseArgs, str, timeArg, UsageError } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { createProgress } from './progress.js';
import { hostFromFlags } from './scan-live.js';

const HELP = `Usage: exhunt collect --out FILE.zip [options]

Run on the Windows Exchange server. Finds the evidence as scan --live does (install path from
ExchangeInstallPath or the registry, IIS log and web folders from applicationHost.config, staging folders),
exports the event logs (wevtutil epl) and registry keys (reg export) to a temporary folder, and packs it all
into FILE.zip with exhunt-collection.json: every member's SHA-256 and origin, the host, the times, the
tool version, and what could not be read and why. Analyse it anywhere with: exhunt scan FILE.zip

Options:
  -o, --out FILE       the zip to write (must not exist; written as FILE.partial until complete)
      --since DATE     only logs written since DATE (web folders, configuration and registry always whole)
      --until DATE     only logs and events up to DATE
      --host NAME      the name to label the collection with (default: the computer name)
      --mount L=DIR    collect from a Windows disk mounted at DIR as drive L (repeatable; C=/mnt/c)
      --nice           below-normal priority, so the server keeps serving mail
  -q, --quiet          no progress line

A full disk stops the collection with a clear error; what was written is kept as FILE.partial.zip, whose
manifest says it is incomplete. Exit codes: 0 complete; 3 usage error; 4 incomplete or not written.
`;

export async function collectCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv, {
    out: { value: true, short: 'o' }, since: { value: true }, until: { value: true }, host: { value: true },
    mount: { value: true, repeat: true }, nice: {}, quiet: { short: 'q' }, help: { short: 'h' },
  });
  if (bool(p, 'help')) { io.stdout.write(HELP); return EXIT.clean; }
  if (p.positionals.length) throw new UsageError('collect takes no positional arguments; see exhunt collect --help');
  const out = str(p, 'out');
  if (!out) throw new UsageError('collect wants --out FILE.zip');
  const since = timeArg(p, 'since');
  const until = timeArg(p, 'until');
  if (since !== undefined && until !== undefined && since > until) throw new UsageError('--since is after --until');
  const host = hostFromFlags(p);
  if (bool(p, 'nice')) io.stderr.write(`exhunt: ${lowerPriority()}\n`);
  const progress = createProgress(io.stderr);
  let r;
  try {
    r = await collect(host, {
      out: resolve(out),
      range: { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) },
      ...(bool(p, 'quiet') ? {} : { onProgress: (d: number, t: number) => progress.update(d, t) }),
    });
  } catch (e) {
    progress.finish();
    if (e instanceof CollectError) { io.stderr.write(`exhunt collect: ${e.message}\n`); return EXIT.io; }
    throw e;
  }
  progress.finish();
  const m = r.manifest;
  const bytes = m.files.reduce((s, f) => s + f.size, 0);
  io.stderr.write(`exhunt collect: ${m.files.length} files (${(bytes / 1048576).toFixed(1)} MB) from ${m.host} in ${r.path}; ${m.unreadable.length} not readable (listed in exhunt-collection.json).\n`);
  for (const u of m.unreadable.slice(0, 10)) io.stderr.write(`  not read: ${u.path}: ${u.reason}\n`);
  if (!m.complete) {
    io.stderr.write(`exhunt collect: INCOMPLETE: ${m.error}. What fits was kept in ${r.path} (${m.dropped.length} members removed to fit the manifest); free space and collect again.\n`);
    return EXIT.io;
  }
  return EXIT.clean;
}
