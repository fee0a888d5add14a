// BullMQ workers in their own processes: a worker SIGKILLed mid-job leads to a retry by another worker,
// and the host ends with exactly one set of findings from that job.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { WorkerApi } from '../../src/fleet/client.js';
import { makeZip, REDIS, startServer, type TestServer } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const prefix = `exhunt-test-${randomBytes(4).toString('hex')}`;
let redisUp = false;
let s: TestServer | undefined;
const children: ChildProcess[] = [];

before(async () => {
  const r = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined);
  redisUp = await r.connect().then(() => r.ping()).then(() => true, () => false);
  r.disconnect();
  if (redisUp) s = await startServer({ queue: `${REDIS}?prefix=${prefix}` });
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await s?.close();
  if (redisUp) {
    const r = new Redis(REDIS);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  }
});

function startWorker(token: string, scanMs: number): { child: ChildProcess; saw: (re: RegExp, ms?: number) => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fleet/fixtures/run-worker.ts',
    '--queue', `${REDIS}?prefix=${prefix}`, '--server', s!.base, '--token', token,
    '--scan-module', 'test/fleet/fixtures/slow-scan.ts', '--lock-ms', '2000'],
  { cwd: root, env: { ...process.env, EXHUNT_TEST_SCAN_MS: String(scanMs) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const saw = (re: RegExp, ms = 20_000) => new Promise<void>((res, rej) => {
    const end = Date.now() + ms;
    const iv = setInterval(() => {
      if (re.test(out)) { clearInterval(iv); res(); }
      else if (Date.now() > end || child.exitCode !== null) { clearInterval(iv); rej(new Error(`worker never printed ${re}; output:\n${out}`)); }
    }, 50);
  });
  return { child, saw };
}

test('a worker killed with SIGKILL mid-job: the job is retried and stored exactly once', { timeout: 60_000 }, async (t) => {
  if (!redisUp || !s) return t.skip('Redis is not reachable at 127.0.0.1:6379');
  const ingest = await s.token('analyst', ['ingest', 'read']);
  const workerToken = await s.token('admin', ['worker']);
  const res = await fetch(`${s.base}/api/collections?host=killed.acme`, {
    method: 'POST', headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/zip' },
    body: makeZip([{ name: 'x.log', data: Buffer.from('evidence\n') }]),
  });
  assert.equal(res.status, 202);
  const { jobId } = (await res.json()) as { jobId: string };

  const a = startWorker(workerToken, 60_000);
  await a.saw(new RegExp(`job ${jobId} started`));
  a.child.kill('SIGKILL');
  await new Promise((r) => a.child.once('exit', r));

  const b = startWorker(workerToken, 0);
  await b.saw(new RegExp(`job ${jobId} done`), 30_000);

  const job = (await (await fetch(`${s.base}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${ingest}` } })).json()) as { status: string; attempts: number };
  assert.equal(job.status, 'done');
  assert.equal(job.attempts, 2, 'started once by the killed worker, once by the survivor');
  const db = s.fleet.app.db;
  const host = (await db.get<{ id: number }>('SELECT id FROM hosts WHERE name = ?', ['killed.acme']))!;
  const count = async () => ({
    scans: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM scans WHERE host_id = ?', [host.id]))!.n,
    findings: (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM findings WHERE host_id = ?', [host.id]))!.n,
  });
  assert.deepEqual(await count(), { scans: 1, findings: 5 });

  // a worker that delivered and died before BullMQ recorded it delivers again: nothing is stored twice
  const { scanCollection } = await import('./fixtures/slow-scan.js');
  const again = await new WorkerApi(s.base, workerToken).submit(jobId, await scanCollection(__filenameOf(), { host: 'killed.acme' }));
  assert.equal(again.duplicates, 1);
  assert.deepEqual(await count(), { scans: 1, findings: 5 });
  b.child.kill('SIGTERM');
  await new Promise((r) => b.child.once('exit', r));
});

const __filenameOf = () => fileURLToPath(import.meta.url);
