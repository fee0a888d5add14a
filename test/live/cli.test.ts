// exhunt collect and scan --live from the command line, on a Windows disk given with --mount (a disk at
// rest: event logs are copied from winevt\Logs, nothing is exported), and --nice.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { generateDemo } from '../../src/sim/index.js';
import type { ScanResult } from '../../src/types.js';

let dir: string;
let driveC: string;
let noBaseline: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhunt-live-cli-'));
  await generateDemo(join(dir, 'disk'), { layout: 'kape', eventLogs: true, days: 1 });
  driveC = join(dir, 'disk', 'C');
  noBaseline = join(dir, 'no-baseline');
  await mkdir(noBaseline);
});
after(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => { out += b.toString(); });
  stderr.on('data', (b: Buffer) => { err += b.toString(); });
  const code = await main(argv, { stdout, stderr });
  return { code, out, err };
}

const keys = (r: ScanResult): string[] => r.hosts.flatMap((h) => h.findings.map((f) => `${f.rule.id}|${f.evidence.path}|${f.evidence.line ?? ''}`)).sort();

test('collect --mount, then scan of the zip equals scan --live --mount', async () => {
  const zip = join(dir, 'EXCH01.zip');
  const c = await cli('collect', '--out', zip, '--mount', `C=${driveC}`, '--host', 'EXCH01', '-q');
  assert.equal(c.code, 0, c.err);
  assert.match(c.err, /exhunt collect: \d+ files \([\d.]+ MB\) from EXCH01 in .*EXCH01\.zip/);
  assert.ok((await stat(zip)).size > 10_000);
  const fromZip = await cli('scan', zip, '-f', 'json', '-q', '--baseline', noBaseline, '-j', '2');
  const live = await cli('scan', '--live', '--mount', `C=${driveC}`, '--host', 'EXCH01', '-f', 'json', '-q', '--baseline', noBaseline, '-j', '2');
  assert.equal(fromZip.code, 2, fromZip.err);
  assert.equal(live.code, 2, live.err);
  const z = JSON.parse(fromZip.out) as ScanResult;
  const l = JSON.parse(live.out) as ScanResult;
  assert.deepEqual(keys(l), keys(z));
  // the disk at rest: event logs were copied and read, no export was attempted
  assert.ok(l.hosts[0]!.coverage.files.some((f) => /winevt\/Logs\/MSExchange Management\.evtx$/.test(f.path) && f.status === 'read'));
  assert.match(l.hosts[0]!.coverage.notes.join('\n'), /Not a running Windows: event logs copied/);
});

test('usage errors say what is wrong', async () => {
  assert.equal((await cli('collect')).code, 3);
  assert.match((await cli('collect')).err, /--out/);
  assert.match((await cli('scan', '--live', '--mount', `C=${driveC}`, 'x.zip')).err, /give no COLLECTION/);
  assert.match((await cli('scan', '--mount', `C=${driveC}`, 'x.zip')).err, /--mount goes with --live/);
  assert.match((await cli('collect', '--out', join(dir, 'y.zip'), '--mount', 'nonsense')).err, /LETTER=FOLDER/);
  if (process.platform !== 'win32') assert.match((await cli('scan', '--live')).err, /Windows Exchange server itself/);
  assert.match((await cli('collect', '--out', join(dir, 'z.zip'), '--since', '2021-03-05', '--until', '2021-03-01')).err, /--since is after --until/);
});

test('--nice lowers the priority of the process and of the workers it starts', async () => {
  const code = `import('./src/live/nice.ts').then(async (m) => { const os = await import('node:os'); const note = m.lowerPriority();
    const { Worker } = await import('node:worker_threads');
    const w = new Worker("const os=require('node:os');require('node:worker_threads').parentPort.postMessage(os.getPriority())", { eval: true });
    w.on('message', (p) => { console.log(JSON.stringify({ note, main: os.getPriority(), worker: p })); w.terminate(); }); })`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', code], { cwd: new URL('../../', import.meta.url).pathname });
  const r = JSON.parse(stdout) as { note: string; main: number; worker: number };
  assert.match(r.note, /below-normal priority/);
  assert.ok(r.main >= 10, `main thread nice ${r.main}`);
  assert.ok(r.worker >= 10, `worker nice ${r.worker}`);
});
