// The embedded runner: jobs survive a restart, a crash after storing does not duplicate, and a real
// collection made by src/sim/ goes through upload -> scan -> dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { readdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { openFleet } from '../../src/fleet/server.js';
import { createJob } from '../../src/fleet/store/jobs.js';
import { ingestResult } from '../../src/fleet/store/ingest.js';
import { ensureTenant } from '../../src/fleet/store/users.js';
import type { ScanFn } from '../../src/fleet/queue/types.js';
import { finding, hostResult, login, makeZip, scanResult, startServer, tempDir } from './helpers.js';
import { zipFolder } from '../../src/sim/zip.js';

async function waitFor(fn: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('jobs left running by a stopped server are finished after restart, stored once', async () => {
  const t = await tempDir();
  try {
    const dbFile = join(t.dir, 'fleet.db');
    const dataDir = join(t.dir, 'data');
    const result = scanResult([hostResult('restart.acme', 'compromised', [finding(1), finding(2), finding(3), finding(4)])]);
    let scans = 0;
    const scan: ScanFn = async () => { scans++; return result; };

    // first life: two jobs stored; one was mid-scan, the other had even stored its result when the process died
    const first = await openFleet({ db: dbFile, dataDir, scan });
    const tenant = await ensureTenant(first.app.db, 'acme');
    const zip = join(dataDir, 'uploads', 'a.zip');
    await writeFile(zip, makeZip([{ name: 'a.log', data: Buffer.from('x') }]));
    await copyFile(zip, join(dataDir, 'uploads', 'b.zip'));
    await createJob(first.app.db, { id: 'job-a', tenantId: tenant, path: zip, size: 1, host: 'restart.acme' });
    await createJob(first.app.db, { id: 'job-b', tenantId: tenant, path: join(dataDir, 'uploads', 'b.zip'), size: 1 });
    await first.app.db.run(`UPDATE jobs SET status = 'running', attempts = 1, lease_until = ? WHERE id IN ('job-a', 'job-b')`, [Date.now() + 3600_000]);
    await ingestResult(first.app.db, { tenantId: tenant, jobId: 'job-b', result });
    await first.close(); // never listened: its runner never started

    const second = await openFleet({ db: dbFile, dataDir, scan, inproc: { pollMs: 50 } });
    await second.listen(0);
    const db = second.app.db;
    await waitFor(async () => (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'done'`))!.n === 2);
    assert.equal(scans, 2, 'both jobs ran again');
    const per = await db.all<{ job_id: string; n: number }>('SELECT s.job_id, COUNT(f.id) AS n FROM scans s JOIN findings f ON f.scan_id = s.id GROUP BY s.job_id ORDER BY s.job_id');
    assert.deepEqual(per, [{ job_id: 'job-a', n: 4 }, { job_id: 'job-b', n: 4 }], 'one set of findings per job');
    const job = await db.get<{ attempts: number }>(`SELECT attempts FROM jobs WHERE id = 'job-b'`);
    assert.equal(job!.attempts, 2);
    await second.close();
  } finally {
    await t.cleanup();
  }
});

test('a scan that fails is retried, then marked failed with its reason', async () => {
  let calls = 0;
  const s = await startServer({ scan: async () => { calls++; throw new Error('evidence unreadable'); }, inproc: { pollMs: 20 } });
  try {
    const tok = await s.token('analyst', ['ingest', 'read']);
    const res = await fetch(`${s.base}/api/collections`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/zip' }, body: makeZip([{ name: 'a', data: Buffer.from('a') }]) });
    const { jobId } = (await res.json()) as { jobId: string };
    let job: { status: string; attempts: number; error: string } | undefined;
    await waitFor(async () => {
      job = (await (await fetch(`${s.base}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${tok}` } })).json()) as typeof job;
      return job!.status === 'failed';
    });
    assert.equal(job!.attempts, 3);
    assert.equal(calls, 3);
    assert.match(job!.error, /evidence unreadable/);
  } finally {
    await s.close();
  }
});

test('end to end: a simulated compromised server, zipped, uploaded, scanned by exhunt, shown on the dashboard', { timeout: 60_000 }, async () => {
  const { generateDemo } = await import('../../src/sim/index.js');
  const t = await tempDir();
  const s = await startServer({ inproc: { pollMs: 50 } });
  try {
    await generateDemo(join(t.dir, 'collection'), { scale: 0.01, days: 2, host: 'EXSIM01' });
    const zip = await zipFolder(join(t.dir, 'collection'));
    const tok = await s.token('analyst', ['ingest', 'read']);
    const res = await fetch(`${s.base}/api/collections?host=exsim01.acme`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/zip' }, body: zip });
    assert.equal(res.status, 202);
    const { jobId } = (await res.json()) as { jobId: string };
    let job: { status: string; error: string | null } | undefined;
    await waitFor(async () => {
      job = (await (await fetch(`${s.base}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${tok}` } })).json()) as typeof job;
      return job!.status === 'done' || job!.status === 'failed';
    }, 50_000);
    assert.equal(job!.status, 'done', job!.error ?? '');
    const list = (await (await fetch(`${s.base}/api/hosts?q=exsim01`, { headers: { authorization: `Bearer ${tok}` } })).json()) as { rows: { id: number; verdict: string; finding_count: number }[] };
    assert.equal(list.rows.length, 1);
    assert.equal(list.rows[0]!.verdict, 'compromised');
    assert.ok(list.rows[0]!.finding_count > 0);
    const sess = await login(s.base, 'analyst', s.users.analyst.password);
    const page = await (await fetch(`${s.base}/hosts/${list.rows[0]!.id}`, { headers: { cookie: sess.cookie } })).text();
    assert.match(page, /CVE-2021-\d+/);
    assert.match(page, /What the logs cover/);
  } finally {
    await s.close();
    await t.cleanup();
  }
});
