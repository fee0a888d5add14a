// EVTX reader throughput: exhunt's reader (one thread and all cores) beside libevtx's evtxexport and
// python-evtx, on the shared EVTX corpus and on a generated Security-style log of a few hundred MB;
// peak RSS at two file sizes shows whether memory stays flat as the file grows.
// Each reader run is a child process, so its peak RSS is its own; "in-process" excludes Node start-up.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { have } from './measure.js';
import { readEvtx } from '../src/readers/evtx/read.js';
import { closeEvtxPool } from '../src/readers/evtx/pool.js';
import { writeEvtx } from '../src/sim/evtx/writer.js';
import { securityLikeEvents } from '../src/sim/evtx/security-events.js';
import { compileRuleSet, loadLogsourceMapping, loadSigmaRules } from '../src/detect/sigma/index.js';

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
  const c0 = process.cpuUsage();
  let records = 0;
  for (const f of files) for await (const _r of readEvtx(f, { threads })) records++;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // this thread only (workers not included): the reading itself, without Node and tsx start-up
  const c = process.cpuUsage(c0);
  await closeEvtxPool();
  process.stdout.write(JSON.stringify({ records, seconds, cpu: (c.user + c.system) / 1e6 }) + '\n');
}

interface Run { wall: number; cpu: number; peakMiB: number; stdout: string; status: number | null }

/** wall and CPU (user+sys) seconds and peak RSS of a command, from GNU time */
function timed(cmd: string, args: string[]): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)\s*$/.exec(r.stderr ?? '');
  return { wall: Number(m?.[1] ?? NaN), cpu: Number(m?.[2] ?? NaN) + Number(m?.[3] ?? NaN), peakMiB: Number(m?.[4] ?? NaN) / 1024, stdout: r.stdout ?? '', status: r.status };
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function line(label: string, records: number, bytes: number, seconds: number, cpu: number, peakMiB: number, extra = ''): void {
  console.log(
    `  ${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s  ${(records / seconds).toFixed(0).padStart(8)} rec/s  ${(bytes / 2 ** 20 / seconds).toFixed(1).padStart(6)} MB/s` +
      `  cpu ${cpu.toFixed(2)} s  peak RSS ${peakMiB.toFixed(0)} MiB${extra}`,
  );
}

/**
 * Our reader in a child process. Figures are in-process (the read itself); the process totals, with Node
 * and tsx start-up, follow in brackets. Returns the in-process CPU seconds of a 1-thread run.
 */
function ours(files: string[], threads: number, bytes: number, label: string): number {
  const m = timed(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, String(threads), ...files]);
  const r = JSON.parse(m.stdout.trim().split('\n').pop() || '{}') as { records?: number; seconds?: number; cpu?: number };
  if (m.status !== 0 || r.records === undefined || r.seconds === undefined || r.cpu === undefined) {
    console.log(`  ${label}: failed (exit ${m.status})`);
    return NaN;
  }
  const cpu = threads === 1 ? r.cpu : m.cpu;
  line(label, r.records, bytes, r.seconds, cpu, m.peakMiB, `  (process: wall ${m.wall.toFixed(2)} s, cpu ${m.cpu.toFixed(2)} s${threads === 1 ? '' : ', all threads'})`);
  return cpu;
}

/** evtxexport over the files; returns its CPU seconds */
function evtxexport(files: string[], records: number, bytes: number): number {
  let wall = 0;
  let cpu = 0;
  let peak = 0;
  for (const f of files) {
    const m = timed('sh', ['-c', 'exec evtxexport -f xml "$1" > /dev/null', 'sh', f]);
    wall += m.wall;
    cpu += m.cpu;
    peak = Math.max(peak, m.peakMiB);
  }
  line('evtxexport -f xml (libevtx)', records, bytes, wall, cpu, peak);
  return cpu;
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
    console.log(`  CPU seconds, evtxexport / exhunt 1 thread: ${(ref / one).toFixed(1)}x`);
  } else console.log('  evtxexport: not installed (Debian libevtx-utils)');
}

/** Reading alone vs reading and matching every record against all of SigmaHQ's Windows rules (1 thread). */
async function withRules(file: string): Promise<void> {
  const rulesDir = join(root, '..', 'shared', 'corpora', 'sigmahq', 'rules', 'windows');
  if (!existsSync(rulesDir)) return console.log('SigmaHQ Windows rules: not present, skipped');
  const loaded = await loadSigmaRules([rulesDir]);
  const { ruleSet } = compileRuleSet(loaded.rules, loadLogsourceMapping());
  const rules = ruleSet.forLogType('evtx');
  const time = async (match: boolean): Promise<{ n: number; s: number; hits: number }> => {
    let n = 0;
    let hits = 0;
    const t0 = process.hrtime.bigint();
    for await (const r of readEvtx(file, { threads: 1 })) {
      n++;
      if (match) hits += rules.match(r).length;
    }
    return { n, s: Number(process.hrtime.bigint() - t0) / 1e9, hits };
  };
  await time(false); // warm-up
  const plain = await time(false);
  const full = await time(true);
  console.log(`SigmaHQ rules/windows: ${loaded.rules.length} rules loaded, ${rules.rules.length} apply to event logs (${loaded.problems.length} load problems)`);
  console.log(`  quarter-size log, 1 thread: reader alone ${(plain.n / plain.s).toFixed(0)} events/s; reader + all rules ${(full.n / full.s).toFixed(0)} events/s (${full.hits} matches)`);
}

export async function run(): Promise<void> {
  console.log('\n== evtx ==');
  if (!existsSync('/usr/bin/time')) {
    console.log('needs GNU time (/usr/bin/time, Debian package time); skipped');
    return;
  }
  console.log(`(${availableParallelism()} cores; wall-clock figures suffer when other work shares the machine, CPU seconds less so)`);
  const files = evtxFiles(corpus);
  if (files.length) await compare('shared EVTX corpus', files);
  else console.log('shared EVTX corpus: not present, skipped');

  const security = join(corpus, 'python-evtx-tests', 'security.evtx');
  if (existsSync(security) && have('evtx_dump.py')) {
    const m = timed('sh', ['-c', 'exec evtx_dump.py "$1" > /dev/null', 'sh', security]);
    const bytes = statSync(security).size;
    line('python-evtx evtx_dump.py, security.evtx', await countRecords([security]), bytes, m.wall, m.cpu, m.peakMiB);
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
    await withRules(quarter);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) await child(process.argv.slice(3));
