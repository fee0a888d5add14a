// exhunt demo: builds a synthetic compromised Exchange server (deterministic) and scans it, so a new user
// sees a full report in seconds without any evidence of their own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDemo, writeSimBaseline } from '../sim/index.js';
import { scanCollection } from '../scan/run-scan.js';
import { bool, parseArgs, str, UsageError } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { exitCodeFor, SCAN_FLAGS, scanOptionsFrom, writeReport } from './scan.js';

const HELP = `Usage: exhunt demo [options]

Generates the evidence of a synthetic Exchange 2016 server attacked with ProxyLogon, ProxyShell,
ProxyNotShell and OWASSRF (scenarios written from the public incident reports), then scans it.

Options:
      --keep DIR       write the collection to DIR and keep it (default: a temporary folder, removed after)
      --seed N         another deterministic variant of the server
  and every option of exhunt scan (--format, --out, --verbose, ...).
`;

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv, { ...SCAN_FLAGS, keep: { value: true }, seed: { value: true }, help: { short: 'h' } });
  if (bool(p, 'help')) { io.stdout.write(HELP); return EXIT.clean; }
  if (p.positionals.length) throw new UsageError('demo takes no positional arguments');
  const keep = str(p, 'keep');
  const seedArg = str(p, 'seed');
  const seed = seedArg === undefined ? undefined : Number(seedArg);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed wants a whole number');
  const dir = keep ? resolve(keep) : await mkdtemp(join(tmpdir(), 'exhunt-demo-'));
  const collection = join(dir, 'EXCH01');
  try {
    const gen = await generateDemo(collection, seed === undefined ? {} : { seed });
    io.stderr.write(`exhunt demo: generated ${gen.files} files (${(gen.bytes / 1048576).toFixed(1)} MB) of a synthetic Exchange server in ${collection}\n`);
    const opts = scanOptionsFrom(p);
    // The synthetic server's stock pages are stand-ins: its own baseline says which files are stock.
    if (!opts.baseline) {
      writeSimBaseline(collection, gen.stockFiles, gen.build, join(dir, 'baseline'));
      opts.baseline = [join(dir, 'baseline')];
    }
    const result = await scanCollection(collection, opts);
    await writeReport(result, p, io);
    return exitCodeFor(result);
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
