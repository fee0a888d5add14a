// The database or Redis going away and coming back: clear errors meanwhile, no corruption, recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openDb } from '../../src/fleet/db/db.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TcpProxy } from './tcp-proxy.js';
import type { BullQueue } from '../../src/fleet/queue/bullmq.js';
import { finding, hostResult, login, makeZip, pgAvailable, REDIS, scanResult, startServer } from './helpers.js';
import { uploadResult } from '../../src/fleet/client.js';

test('PostgreSQL going away mid-session: 503 with a clear message, then recovery with no partial writes', { timeout: 60_000 }, async (t) => {
  if (!(await pgAvailable())) return t.skip('PostgreSQL is not reachable at 127.0.0.1:5432');
  const proxy = new TcpProxy(5432);
  const port = await proxy.up();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openDb(`postgres://postgres@127.0.0.1:${port}/test?schema=${schema}`);
  const s = await startServer({ scan: async () => { throw new Error('unused'); } }, db);
  try {
    const tok = await s.token('analyst', ['ingest', 'read']);
    const sess = await login(s.base, 'analyst', s.users.analyst.password);
    await uploadResult(s.base, tok, scanResult([hostResult('before.acme', 'compromised', [finding(1)])]));

    await proxy.down();
    const page = await fetch(`${s.base}/hosts`, { headers: { cookie: sess.cookie } });
    assert.equal(page.status, 503);
    assert.match(await page.text(), /database is unavailable/);
    const api = await fetch(`${s.base}/api/results`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: JSON.stringify({ schemaVersion: '1.0', tool: { name: 'exhunt', version: 'x' }, started: '2021-03-01T00:00:00Z', finished: '2021-03-01T00:00:00Z', hosts: [] }) });
    assert.equal(api.status, 503);

    await proxy.up();
    const again = await fetch(`${s.base}/hosts`, { headers: { cookie: sess.cookie } });
    assert.equal(again.status, 200);
    assert.match(await again.text(), /before\.acme/);
    await uploadResult(s.base, tok, scanResult([hostResult('after.acme', 'clean', [])]));
    const n = await s.fleet.app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM findings');
    assert.equal(n!.n, 1);
  } finally {
    await s.close();
    await proxy.up().catch(() => undefined);
    await db.run(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await db.close();
    await proxy.down();
  }
});

test('Redis restarting under a running job: the worker reconnects and the job is stored once', { timeout: 60_000 }, async (t) => {
  const probe = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => undefined);
  const up = await probe.connect().then(() => true, () => false);
  probe.disconnect();
  if (!up) return t.skip('Redis is not reachable at 127.0.0.1:6379');
  const proxy = new TcpProxy(6379);
  const port = await proxy.up();
  const prefix = `exhunt-test-${randomBytes(4).toString('hex')}`;
  const s = await startServer({ queue: `${REDIS}?prefix=${prefix}` });
  const wtok = await s.token('admin', ['worker']);
  // the worker reaches Redis through the proxy; the server directly
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fleet/fixtures/run-worker.ts', '--queue', `redis://127.0.0.1:${port}?prefix=${prefix}`,
    '--server', s.base, '--token', wtok, '--scan-module', 'test/fleet/fixtures/slow-scan.ts', '--lock-ms', '10000'],
  { cwd: fileURLToPath(new URL('../../', import.meta.url)), env: { ...process.env, EXHUNT_TEST_SCAN_MS: '3000' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const saw = async (re: RegExp, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!re.test(out)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`worker never printed ${re}:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await saw(/ready on/);
    const itok = await s.token('analyst', ['ingest', 'read']);
    const res = await fetch(`${s.base}/api/collections?host=redis.acme`, { method: 'POST', headers: { authorization: `Bearer ${itok}`, 'content-type': 'application/zip' }, body: makeZip([{ name: 'a', data: Buffer.from('a') }]) });
    const { jobId } = (await res.json()) as { jobId: string };
    await saw(new RegExp(`job ${jobId} started`));
    await proxy.down(); // Redis is gone while the scan runs
    await new Promise((r) => setTimeout(r, 1500));
    await proxy.up();
    await saw(new RegExp(`job ${jobId} done`), 30_000);
    const n = await s.fleet.app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM findings f JOIN hosts h ON h.id = f.host_id WHERE h.name = 'redis.acme'`);
    assert.equal(n!.n, 5);
    // and BullMQ, over the reconnected link, recorded the job as completed (not stalled, not retried)
    const q = s.fleet.app.queue as BullQueue;
    const end = Date.now() + 15_000;
    let counts = await q.counts();
    while (counts['completed'] !== 1 && Date.now() < end) { await new Promise((r) => setTimeout(r, 100)); counts = await q.counts(); }
    assert.equal(counts['completed'], 1, JSON.stringify(counts));
    assert.equal(counts['failed'], 0);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 0, 'the worker stops cleanly on SIGTERM');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await s.close();
    const r = new Redis(REDIS);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    await proxy.down();
  }
});
