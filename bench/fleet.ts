// Fleet benchmark: seed N hosts (default 30,000) with findings through the real ingest path, then measure
// host-list queries directly, and the list / host page / search over HTTP with 50 concurrent clients, on
// SQLite and on PostgreSQL; then scan jobs per minute with 1, 2 and 4 in-process workers.
// Knobs: FLEET_BENCH_HOSTS, FLEET_BENCH_FINDINGS (per host), FLEET_BENCH_SECONDS (per load run),
// FLEET_BENCH_PG (0 to skip PostgreSQL), FLEET_BENCH_JOBS (scan jobs per worker count, 0 to skip).
import { mkdtemp, rm, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../src/fleet/db/db.js';
import { migrate } from '../src/fleet/db/migrations.js';
import { ingestResult } from '../src/fleet/store/ingest.js';
import { listHosts, type HostFilter, type SortKey } from '../src/fleet/store/hosts.js';
import { createSession, createUser, ensureTenant } from '../src/fleet/store/users.js';
import { openFleet } from '../src/fleet/server.js';
import { createJob } from '../src/fleet/store/jobs.js';
import type { Finding, HostAssessment, ScanResult, Verdict } from '../src/types.js';
import { zipFolder } from '../src/sim/zip.js';

const HOSTS = Number(process.env['FLEET_BENCH_HOSTS'] ?? 30_000);
const PER_HOST = Number(process.env['FLEET_BENCH_FINDINGS'] ?? 100);
const SECONDS = Number(process.env['FLEET_BENCH_SECONDS'] ?? 5);
const PG = process.env['FLEET_BENCH_PG'] !== '0';
const JOBS = Number(process.env['FLEET_BENCH_JOBS'] ?? 8);
const TENANTS = 100;
const CLIENTS = Number(process.env['FLEET_BENCH_CLIENTS'] ?? 50);

// deterministic pseudo-random numbers so both databases get the same fleet
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const VERDICTS: [Verdict, number][] = [['clean', 0.62], ['vulnerable', 0.16], ['inconclusive', 0.06], ['attempted', 0.09], ['exploited', 0.04], ['compromised', 0.03]];
const CVES = ['CVE-2021-26855', 'CVE-2021-27065', 'CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207', 'CVE-2022-41040', 'CVE-2022-41082'];

function makeHost(i: number, r: () => number): HostAssessment {
  let x = r(), verdict: Verdict = 'clean';
  for (const [v, p] of VERDICTS) { if (x < p) { verdict = v; break; } x -= p; }
  const findings: Finding[] = [];
  for (let k = 0; k < PER_HOST; k++) {
    const ip = `198.51.${Math.floor(r() * 200)}.${Math.floor(r() * 250)}`;
    findings.push({
      rule: { id: `rule-${k % 40}`, title: `Exchange rule ${k % 40}`, source: 'rules/sigma/exchange.yml', level: 'high' },
      level: k % 5 === 0 ? 'critical' : 'high', stage: 'exploit-attempt', cves: [CVES[k % CVES.length]!], attack: ['T1190'],
      time: Date.UTC(2021, 2, 1) + Math.floor(r() * 20 * 86_400_000),
      evidence: { path: 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', line: k + 1, excerpt: `2021-03-03 01:02:03 10.0.0.1 POST /ecp/y.js X-BEResource=localhost/owa/?~1942062522 443 - ${ip}` },
      entities: { ips: [ip], users: [], mailboxes: k % 10 === 0 ? [`user${k % 300}@tenant${i % TENANTS}.example`] : [], files: [] },
    });
  }
  const exposure = verdict === 'clean' && r() < 0.5 ? { build: '15.2.858.5', missingFixes: [] } : { build: '15.1.2176.2', missingFixes: ['KB5000871'] };
  return {
    host: `ex${String(i).padStart(5, '0')}.tenant${i % TENANTS}.example`, verdict, confidence: 'high', reason: `${verdict} (generated)`,
    stages: verdict === 'clean' ? [] : ['exploit-attempt'], attackerIps: [...new Set(findings.slice(0, 5).flatMap((f) => f.entities.ips))],
    findings, coverage: { families: [{ family: 'iis', files: 7, records: 420_000 }], files: [], notes: [] }, exposure,
  };
}

async function seed(db: Db): Promise<{ seconds: number; hostsPerSec: number; findingsPerSec: number }> {
  const r = rng(42);
  const tenants: number[] = [];
  for (let t = 0; t < TENANTS; t++) tenants.push(await ensureTenant(db, `tenant${t}`));
  const t0 = performance.now();
  const BATCH = 50;
  for (let i = 0; i < HOSTS; i += BATCH) {
    // one posted result per tenant batch, as `exhunt scan --upload` would send
    const byTenant = new Map<number, HostAssessment[]>();
    for (let j = i; j < Math.min(HOSTS, i + BATCH); j++) {
      const h = makeHost(j, r);
      const list = byTenant.get(j % TENANTS) ?? [];
      list.push(h);
      byTenant.set(j % TENANTS, list);
    }
    for (const [t, hosts] of byTenant) {
      const finished = Date.now() - Math.floor(r() * 29) * 86_400_000;
      const result: ScanResult = { tool: { name: 'exhunt', version: 'bench' }, started: finished - 60_000, finished, hosts };
      await ingestResult(db, { tenantId: tenants[t]!, jobId: `seed-${i}-${t}`, result, now: finished });
    }
  }
  const s = (performance.now() - t0) / 1000;
  // some remediation state and deadlines so those filters have something to find
  await db.run(`UPDATE hosts SET state = 'triaged', deadline = ? WHERE verdict IN ('compromised', 'exploited')`, [Date.now() - 86_400_000]);
  // planner statistics, as PostgreSQL's autovacuum (and SQLite's PRAGMA optimize at start) would gather
  await db.run('ANALYZE');
  return { seconds: s, hostsPerSec: HOSTS / s, findingsPerSec: (HOSTS * PER_HOST) / s };
}

const QUERIES: { name: string; f: HostFilter; sort: SortKey; desc: boolean; page?: number }[] = [
  { name: 'all, by verdict', f: {}, sort: 'verdict', desc: true },
  { name: 'compromised, by name', f: { verdict: 'compromised' }, sort: 'name', desc: false },
  { name: 'CVE-2021-34473, by last scan', f: { cve: 'CVE-2021-34473' }, sort: 'last_scan', desc: true },
  { name: 'tenant + state', f: { tenant: 'tenant7', state: 'new' }, sort: 'verdict', desc: true },
  { name: 'missing KB5000871', f: { fix: 'KB5000871' }, sort: 'name', desc: false },
  { name: 'name contains "0042"', f: { q: '0042' }, sort: 'name', desc: false },
  { name: 'past deadline', f: { overdue: true }, sort: 'deadline', desc: false },
  { name: 'not scanned for 14 days, page 20', f: { staleDays: 14 }, sort: 'last_scan', desc: false, page: 20 },
  { name: 'clean + patched, by name, page 40', f: { verdict: 'clean', exposure: 'patched' }, sort: 'name', desc: false, page: 40 },
  { name: 'missing KB5000871, page 3', f: { fix: 'KB5000871' }, sort: 'verdict', desc: true, page: 3 },
];

async function queryTimes(db: Db): Promise<void> {
  const all = { all: true, tenantIds: [] };
  for (const q of QUERIES) {
    await listHosts(db, all, q.f, { sort: q.sort, desc: q.desc, page: q.page ?? 1 });
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      total = (await listHosts(db, all, q.f, { sort: q.sort, desc: q.desc, page: q.page ?? 1 })).total;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`  list query ${q.name.padEnd(34)} ${String(total).padStart(6)} hosts  median ${times[7]!.toFixed(2)} ms  max ${times[14]!.toFixed(2)} ms`);
  }
}

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;

async function load(base: string, cookie: string, name: string, paths: string[]): Promise<void> {
  const { startWorker } = await import('../src/worker-start.js');
  const memBefore = process.memoryUsage().rss;
  const w = startWorker(new URL('./fleet-load.ts', import.meta.url), { workerData: { base, cookie, paths, seconds: SECONDS, clients: CLIENTS } });
  const { lat, errors, secs } = await new Promise<{ lat: number[]; errors: number; secs: number }>((res, rej) => w.once('message', res).once('error', rej));
  await w.terminate();
  lat.sort((a, b) => a - b);
  console.log(`  HTTP ${name.padEnd(20)} ${lat.length} req in ${secs.toFixed(1)} s = ${(lat.length / secs).toFixed(0)} req/s  p50 ${pct(lat, 50).toFixed(1)} ms  p95 ${pct(lat, 95).toFixed(1)} ms  p99 ${pct(lat, 99).toFixed(1)} ms  errors ${errors}  server rss ${(memBefore / 2 ** 20).toFixed(0)} -> ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}

async function benchDb(label: string, target: string, cleanup: () => Promise<void>): Promise<void> {
  console.log(`\n-- ${label}: ${HOSTS} hosts, ${HOSTS * PER_HOST} findings --`);
  const db = await openDb(target);
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-fleet-bench-'));
  try {
    await migrate(db);
    const s = await seed(db);
    console.log(`  ingest: ${s.seconds.toFixed(1)} s = ${s.hostsPerSec.toFixed(0)} hosts/s, ${s.findingsPerSec.toFixed(0)} findings/s (idempotent per-host transactions)`);
    await queryTimes(db);
    const fleet = await openFleet({ db, dataDir: dir, scan: async () => { throw new Error('no scans'); } });
    const port = await fleet.listen(0);
    const base = `http://127.0.0.1:${port}`;
    const uid = await createUser(db, `bench${randomBytes(3).toString('hex')}`, 'benchmark password', 'admin');
    const cookie = `exhunt_sid=${await createSession(db, uid)}`;
    const ids = (await db.all<{ id: number }>('SELECT id FROM hosts')).map((r) => r.id);
    const r = rng(7);
    const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
    const lists = ['/hosts', '/hosts?verdict=compromised&sort=name', '/hosts?cve=CVE-2021-34473&sort=last_scan', '/hosts?tenant=tenant7&state=new',
      '/hosts?fix=KB5000871&page=3', '/hosts?q=0042', '/hosts?overdue=1&sort=deadline', '/hosts?verdict=clean&exposure=patched&sort=name&page=40'];
    const many = (f: () => string) => Array.from({ length: 5000 }, f);
    await load(base, cookie, 'host list (filters)', many(() => pick(lists)));
    await load(base, cookie, 'host page', many(() => `/hosts/${pick(ids)}`));
    await load(base, cookie, 'finding search', many(() => `/search?q=198.51.${Math.floor(r() * 200)}.${Math.floor(r() * 250)}`));
    await fleet.close();
  } finally {
    await db.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await cleanup();
  }
}

async function benchWorkers(): Promise<void> {
  console.log(`\n-- scan jobs: ${JOBS} uploaded collections (src/sim demo server, 2 days) per run, in-process workers, SQLite --`);
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-fleet-jobs-'));
  try {
    const { generateDemo } = await import('../src/sim/index.js');
    await generateDemo(join(dir, 'col'), { scale: 0.01, days: 2 });
    const zip = await zipFolder(join(dir, 'col'));
    console.log(`  collection: ${(zip.length / 2 ** 20).toFixed(1)} MiB zipped`);
    for (const workers of [1, 2, 4]) {
      const data = join(dir, `d${workers}`);
      const fleet = await openFleet({ db: join(dir, `w${workers}.db`), dataDir: data, inproc: { concurrency: workers, pollMs: 20 } });
      const db = fleet.app.db;
      const t = await ensureTenant(db, 'bench');
      for (let j = 0; j < JOBS; j++) {
        const p = join(data, 'uploads', `j${j}.zip`);
        await writeFile(p, zip);
        await createJob(db, { id: `j${j}`, tenantId: t, path: p, size: zip.length, host: `h${j}` });
      }
      const t0 = performance.now();
      await fleet.listen(0);
      for (;;) {
        const n = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE status IN ('done', 'failed')`))!.n;
        if (n === JOBS) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const secs = (performance.now() - t0) / 1000;
      const failed = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'failed'`))!.n;
      console.log(`  ${workers} worker(s): ${JOBS} jobs in ${secs.toFixed(1)} s = ${((JOBS / secs) * 60).toFixed(0)} jobs/min${failed ? ` (${failed} failed)` : ''}`);
      await fleet.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log('\n== fleet ==');
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-fleet-sqlite-'));
  await benchDb('SQLite', join(dir, 'fleet.db'), () => rm(dir, { recursive: true, force: true }));
  if (PG) {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const base = process.env['FLEET_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
    try {
      await benchDb('PostgreSQL', `${base}?schema=${schema}`, async () => {
        const db = await openDb(base);
        await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await db.close();
      });
    } catch (e) {
      console.log(`  PostgreSQL skipped: ${(e as Error).message}`);
    }
  }
  if (JOBS > 0) await benchWorkers();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
