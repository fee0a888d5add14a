// Shared by the fleet tests: generated scan results, zips, databases for both engines, a running server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Finding, HostAssessment, ScanResult, Verdict } from '../../src/types.js';
import { openDb, type Db } from '../../src/fleet/db/db.js';
import { migrate } from '../../src/fleet/db/migrations.js';
import { openFleet, type Fleet, type FleetConfig } from '../../src/fleet/server.js';
import { createToken, createUser, ensureTenant, grantTenant, type TokenScope } from '../../src/fleet/store/users.js';
import type { Role } from '../../src/fleet/scope.js';
import { buildZip } from '../../src/sim/zip.js';

export const PG_BASE = 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS = 'redis://127.0.0.1:6379';

export function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    rule: { id: `rule-${i % 7}`, title: `Rule ${i % 7}`, source: 'rules/sigma/x.yml', level: 'high' },
    level: 'high', stage: 'exploit-attempt', cves: ['CVE-2021-26855'], attack: ['T1190'], time: Date.UTC(2021, 2, 3, 1, 0, i % 60),
    evidence: { path: 'W3SVC1/u_ex210303.log', line: i + 1, excerpt: `POST /ecp/x.js ${i}` },
    entities: { ips: [`203.0.113.${i % 250}`], users: [], mailboxes: ['admin@contoso.com'], files: [] },
    ...over,
  };
}

export function hostResult(name: string, verdict: Verdict, findings: Finding[], over: Partial<HostAssessment> = {}): HostAssessment {
  return {
    host: name, verdict, confidence: 'high', reason: `because ${verdict}`, stages: findings.length ? ['exploit-attempt'] : [],
    attackerIps: [...new Set(findings.flatMap((f) => f.entities.ips))], findings,
    coverage: { families: [{ family: 'iis', files: 1, records: 100 }], files: [{ path: 'W3SVC1/u_ex210303.log', kind: 'iis-w3c', size: 10, sha256: 'ab'.repeat(32), status: 'read' }], notes: [] },
    ...over,
  };
}

export function scanResult(hosts: HostAssessment[], finished = Date.UTC(2021, 2, 10)): ScanResult {
  return { tool: { name: 'exhunt', version: '0.1.0' }, started: finished - 60_000, finished, hosts };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-fleet-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A zip written by hand (stored or deflated entries), enough to exercise upload checks. */
export function makeZip(entries: { name: string; data: Buffer; deflate?: boolean }[]): Buffer {
  return buildZip(entries);
}

export async function pgAvailable(): Promise<boolean> {
  try {
    const db = await openDb(PG_BASE);
    await db.get('SELECT 1');
    await db.close();
    return true;
  } catch {
    return false;
  }
}

export interface TestDb { db: Db; name: string; drop: () => Promise<void> }

/** A migrated, empty database: a SQLite file, or a fresh PostgreSQL schema dropped afterwards. */
export async function freshDb(kind: 'sqlite' | 'postgres'): Promise<TestDb> {
  if (kind === 'sqlite') {
    const t = await tempDir();
    const db = await openDb(join(t.dir, 'fleet.db'));
    await migrate(db);
    return { db, name: 'sqlite', drop: async () => { await db.close(); await t.cleanup(); } };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = `${PG_BASE}?schema=${schema}`;
  const db = await openDb(url);
  await migrate(db);
  return {
    db, name: 'postgres', drop: async () => {
      await db.run(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  };
}

export interface TestServer {
  fleet: Fleet;
  base: string;
  dir: string;
  tenants: { acme: number; globex: number };
  users: Record<'admin' | 'analyst' | 'viewer' | 'other', { id: number; password: string }>;
  token(user: 'admin' | 'analyst' | 'viewer' | 'other', scopes: TokenScope[]): Promise<string>;
  close(): Promise<void>;
}

/** A listening server with tenants acme and globex; analyst and viewer see acme, other sees globex. */
export async function startServer(cfg: Partial<FleetConfig> = {}, db?: Db): Promise<TestServer> {
  const t = await tempDir();
  const fleet = await openFleet({ db: db ?? join(t.dir, 'fleet.db'), dataDir: join(t.dir, 'data'), ...cfg });
  const d = fleet.app.db;
  const acme = await ensureTenant(d, 'acme');
  const globex = await ensureTenant(d, 'globex');
  const mk = async (name: string, role: Role, tenant?: number) => {
    const password = `pw-${name}-${randomBytes(6).toString('hex')}`;
    const id = await createUser(d, name, password, role);
    if (tenant) await grantTenant(d, id, tenant);
    return { id, password };
  };
  const users = {
    admin: await mk('admin', 'admin'), analyst: await mk('analyst', 'analyst', acme),
    viewer: await mk('viewer', 'viewer', acme), other: await mk('other', 'analyst', globex),
  };
  const port = await fleet.listen(0);
  return {
    fleet, base: `http://127.0.0.1:${port}`, dir: t.dir, tenants: { acme, globex }, users,
    token: async (u, scopes) => (await createToken(d, users[u].id, `${u}-token`, scopes)).token,
    close: async () => { await fleet.close(); await t.cleanup(); },
  };
}

/** Log in through the form; returns the session cookie and the page's CSRF token. */
export async function login(base: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const page = await (await fetch(`${base}/hosts`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return { cookie, csrf };
}

export async function writeZip(path: string, entries: { name: string; data: Buffer; deflate?: boolean }[]): Promise<void> {
  await writeFile(path, makeZip(entries));
}
