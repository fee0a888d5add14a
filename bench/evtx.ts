// EVTX reader throughput: exhunt's reader (one thread and all cores) beside libevtx's evtxexport and
// python-evtx, on the shared EVTX corpus and on a generated Security-style log of a few hundred MB;
// peak RSS at two file sizes shows whether memory stays flat as the file grows.
// Each reader run is a child process, so its peak RSS is its own; "in-process" excludes Node start-up.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { have, measure } from './measure.js';
import { readEvtx } from '../src/readers/evtx/read.js';
import { closeEvtxPool } from '../src/readers/evtx/pool.js';
import { writeEvtx } from '../src/sim/evtx/writer.js';
import { securityLikeEvents } from '../src/sim/evtx/security-events.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(root, '..', 'shared', 'corpora', 'evtx');
const GENERATED_RECORDS = Number(process.env.EXHUNT_BENCH_EVTX_RECORDS ?? 400_000);
const CHILD_FLAG = '--evtx-bench-child';

function evtxFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...evtxFiles(p));
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

/** Child: read the files, print {records, seconds} measured in-process. */
async function child(args: string[]): Promise<void> {
  const threads = Number(args[0]);
  const files = args.slice(1);
  const t0 = process.hrtime.bigint();
  let records = 0;
  for (const f of files) for await (const _r of readEvtx(f, { threads })) records++;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await closeEvtxPool();
  process.stdout.write(JSON.stringify({ records, seconds }) + '\n');
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function line(label: string, records: number, bytes: number, seconds: number, peakMiB?: number, extra = ''): void {
  console.log(
    `  ${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s  ${(records / seconds).toFixed(0).padStart(8)} rec/s  ${(bytes / 2 ** 20 / seconds).toFixed(1).padStart(6)} MB/s` +
      (peakMiB !== undefined ? `  peak RSS ${peakMiB.toFixed(0)} MiB` : '') + extra,
  );
}

function ours(files: string[], threads: number, bytes: number, label: string): number {
  const m = measure(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, String(threads), ...files], { cwd: root });
  const r = JSON.parse(m.stdout.trim().split('\n').pop() ?? '{}') as { records?: number; seconds?: number };
  if (m.status !== 0 || r.records === undefined || r.seconds === undefined) {
    console.log(`  ${label}: failed (exit ${m.status})`);
    return NaN;
  }
  line(label, r.records, bytes, r.seconds, m.peakMiB, `  (wall ${m.seconds.toFixed(2)} s with start-up)`);
  return r.seconds;
}

function evtxexport(files: string[], records: number, bytes: number): number {
  let seconds = 0;
  let peak = 0;
  for (const f of files) {
    const m = measure('sh', ['-c', 'exec evtxexport -f xml "$1" > /dev/null', 'sh', f]);
    seconds += m.seconds;
    peak = Math.max(peak, m.peakMiB ?? 0);
  }
  line('evtxexport -f xml (libevtx)', records, bytes, seconds, peak || undefined);
  return seconds;
}

async function countRecords(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) for await (const _r of readEvtx(f, { threads: 1 })) n++;
  return n;
}

async function compare(title: string, files: string[]): Promise<void> {
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  const records = await countRecords(files);
  console.log(`${title}: ${files.length} file(s), ${mb(bytes)} MiB, ${records} records`);
  const cores = availableParallelism();
  const one = ours(files, 1, bytes, 'exhunt, 1 thread');
  if (cores > 1) ours(files, cores, bytes, `exhunt, ${cores} threads`);
  if (have('evtxexport')) {
    const ref = evtxexport(files, records, bytes);
    console.log(`  exhunt 1 thread vs evtxexport: ${(ref / one).toFixed(1)}x`);
  } else console.log('  evtxexport: not installed (Debian libevtx-utils)');
}

export async function run(): Promise<void> {
  console.log('\n== evtx ==');
  const files = evtxFiles(corpus);
  if (files.length) await compare('shared EVTX corpus', files);
  else console.log('shared EVTX corpus: not present, skipped');

  const security = join(corpus, 'python-evtx-tests', 'security.evtx');
  if (existsSync(security) && have('evtx_dump.py')) {
    const m = measure('sh', ['-c', 'exec evtx_dump.py "$1" > /dev/null', 'sh', security]);
    const bytes = statSync(security).size;
    line('python-evtx evtx_dump.py, security.evtx', await countRecords([security]), bytes, m.seconds, m.peakMiB);
    ours([security], 1, bytes, 'exhunt 1 thread, security.evtx');
  }

  const dir = mkdtempSync(join(tmpdir(), 'exhunt-bench-evtx-'));
  try {
    const quarter = join(dir, 'security-quarter.evtx');
    const full = join(dir, 'security-full.evtx');
    const start = Date.UTC(2021, 2, 1);
    const t0 = process.hrtime.bigint();
    const w = writeEvtx(full, securityLikeEvents(GENERATED_RECORDS, start));
    const genS = Number(process.hrtime.bigint() - t0) / 1e9;
    writeEvtx(quarter, securityLikeEvents(Math.floor(GENERATED_RECORDS / 4), start));
    console.log(`generated Security-style log: ${w.records} records, ${mb(w.bytes)} MiB, written in ${genS.toFixed(1)} s by src/sim/evtx`);
    await compare('generated log', [full]);
    const bytesQ = statSync(quarter).size;
    ours([quarter], 1, bytesQ, 'exhunt 1 thread, quarter-size file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) await child(process.argv.slice(3));
