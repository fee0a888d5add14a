// The same store behaviour on SQLite and PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../src/fleet/db/migrations.js';
import { ingestResult } from '../../src/fleet/store/ingest.js';
import { getHost, hostScans, listHosts, overview, scanFindings, searchIndicators } from '../../src/fleet/store/hosts.js';
import { changeHost, addComment, hostAudit } from '../../src/fleet/store/workflow.js';
import { claimJob, createJob, failJob, finishJob, getJob } from '../../src/fleet/store/jobs.js';
import { createToken, createUser, ensureTenant, revokeToken, tokenPrincipal, checkLogin, createSession, sessionPrincipal, grantTenant } from '../../src/fleet/store/users.js';
import { finding, freshDb, hostResult, pgAvailable, scanResult, type TestDb } from './helpers.js';

const ALL = { all: true, tenantIds: [] };

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`store on ${kind}`, async () => {
    const available = kind === 'sqlite' || (await pgAvailable());
    let t: TestDb;
    let acme: number, globex: number;
    before(async () => {
      if (!available) return;
      t = await freshDb(kind);
      acme = await ensureTenant(t.db, 'acme');
      globex = await ensureTenant(t.db, 'globex');
    });
    after(async () => { if (available) await t.drop(); });
    const it = (name: string, fn: () => Promise<void>) => test(name, { skip: available ? false : 'PostgreSQL is not reachable at 127.0.0.1:5432' }, fn);

    it('migrations run once and are a no-op the second time', async () => {
      assert.equal(await migrate(t.db), 0);
      const v = await t.db.all<{ version: number }>('SELECT version FROM schema_migrations');
      assert.deepEqual(v.map((r) => r.version).sort(), [1, 2, 3, 4]);
    });

    it('ingest is idempotent by job id and rescans keep history', async () => {
      const r1 = scanResult([hostResult('mx1.acme', 'compromised', [finding(1), finding(2), finding(3)])], Date.UTC(2021, 2, 5));
      const a = await ingestResult(t.db, { tenantId: acme, jobId: 'job-1', result: r1 });
      assert.deepEqual(a, { hosts: 1, duplicates: 0, findings: 3 });
      const again = await ingestResult(t.db, { tenantId: acme, jobId: 'job-1', result: r1 });
      assert.deepEqual(again, { hosts: 0, duplicates: 1, findings: 0 });
      const page = await listHosts(t.db, ALL, { q: 'mx1.acme' });
      assert.equal(page.total, 1);
      const h = page.rows[0]!;
      assert.equal(h.finding_count, 3);
      assert.equal((await t.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM findings WHERE host_id = ?', [h.id]))!.n, 3);

      // a later rescan becomes current; the first stays in history
      const r2 = scanResult([hostResult('mx1.acme', 'clean', [])], Date.UTC(2021, 2, 20));
      await ingestResult(t.db, { tenantId: acme, jobId: 'job-2', result: r2 });
      const after2 = (await getHost(t.db, ALL, h.id))!;
      assert.equal(after2.verdict, 'clean');
      assert.equal(after2.finding_count, 0);
      const scans = await hostScans(t.db, h.id);
      assert.deepEqual(scans.map((s) => s.verdict), ['clean', 'compromised']);
      assert.equal((await scanFindings(t.db, scans[1]!.id)).length, 3);

      // an older result arriving late is stored but does not replace the current state
      await ingestResult(t.db, { tenantId: acme, jobId: 'job-0', result: scanResult([hostResult('mx1.acme', 'attempted', [finding(9)])], Date.UTC(2021, 2, 1)) });
      assert.equal((await getHost(t.db, ALL, h.id))!.verdict, 'clean');
      assert.equal((await hostScans(t.db, h.id)).length, 3);
    });

    it('lists filter by verdict, CVE, tenant, state and name, sort, and page', async () => {
      const hosts = Array.from({ length: 30 }, (_, i) => hostResult(`srv${String(i).padStart(2, '0')}.globex`, i % 3 === 0 ? 'compromised' : 'clean',
        i % 3 === 0 ? [finding(i, { cves: ['CVE-2021-34473'] })] : []));
      await ingestResult(t.db, { tenantId: globex, jobId: 'bulk-1', result: scanResult(hosts) });
      const scope = { all: false, tenantIds: [globex] };
      assert.equal((await listHosts(t.db, scope, {})).total, 30);
      assert.equal((await listHosts(t.db, scope, { verdict: 'compromised' })).total, 10);
      assert.equal((await listHosts(t.db, scope, { cve: 'cve-2021-34473' })).total, 10);
      assert.equal((await listHosts(t.db, ALL, { tenant: 'globex', q: 'SRV0' })).total, 10);
      assert.equal((await listHosts(t.db, { all: false, tenantIds: [] }, {})).total, 0, 'no grant, no hosts');
      const p2 = await listHosts(t.db, scope, {}, { sort: 'name', desc: false, page: 2, pageSize: 7 });
      assert.deepEqual(p2.rows.map((r) => r.name), ['srv07.globex', 'srv08.globex', 'srv09.globex', 'srv10.globex', 'srv11.globex', 'srv12.globex', 'srv13.globex']);
      const byVerdict = await listHosts(t.db, scope, {}, { sort: 'verdict', desc: true, pageSize: 10 });
      assert.ok(byVerdict.rows.every((r) => r.verdict === 'compromised'));
      const h = byVerdict.rows[0]!;
      const admin = await createUser(t.db, `adm-${kind}`, 'correct horse battery', 'admin');
      const user = { id: admin, username: `adm-${kind}`, role: 'admin' as const, disabled: 0 };
      assert.equal(await changeHost(t.db, h.id, user, { state: 'triaged', assignee: 'alice', deadline: Date.UTC(2021, 2, 12) }), 3);
      assert.equal(await changeHost(t.db, h.id, user, { state: 'triaged' }), 0, 'no change, no audit entry');
      assert.equal((await listHosts(t.db, scope, { state: 'triaged' })).total, 1);
      assert.equal((await listHosts(t.db, scope, { overdue: true }, { now: Date.UTC(2021, 2, 13) })).total, 1);
      assert.equal((await listHosts(t.db, scope, { overdue: true }, { now: Date.UTC(2021, 2, 11) })).total, 0);
      await addComment(t.db, h.id, user, 'web shell removed <b>ok</b>');
      const audit = await hostAudit(t.db, h.id);
      assert.deepEqual(audit.filter((a) => a.username === user.username).map((a) => a.action).sort(), ['assignee', 'comment', 'deadline', 'state']);
      assert.match(audit.find((a) => a.action === 'state')!.detail, /new -> triaged/);
      const o = await overview(t.db, scope, Date.UTC(2021, 2, 13));
      assert.equal(o.total, 30);
      assert.equal(o.byVerdict['compromised'], 10);
      assert.equal(o.overdueCount, 1);
    });

    it('finding search says which hosts saw an address, mailbox or file hash, within the caller\'s tenants', async () => {
      const f = finding(1, { entities: { ips: ['198.51.100.7'], users: [], mailboxes: ['CEO@Contoso.com'], files: [] } });
      await ingestResult(t.db, { tenantId: acme, jobId: 's-1', result: scanResult([hostResult('a1.acme', 'exploited', [f])]) });
      await ingestResult(t.db, { tenantId: globex, jobId: 's-2', result: scanResult([hostResult('g1.globex', 'exploited', [f])]) });
      const both = await searchIndicators(t.db, ALL, '198.51.100.7');
      assert.deepEqual(both.map((h) => h.host).sort(), ['a1.acme', 'g1.globex']);
      const mine = await searchIndicators(t.db, { all: false, tenantIds: [acme] }, 'ceo@contoso.com');
      assert.deepEqual(mine.map((h) => h.host), ['a1.acme']);
      assert.ok((await searchIndicators(t.db, ALL, 'ab'.repeat(32))).length >= 2, 'coverage file hashes are searchable');
      assert.deepEqual(await searchIndicators(t.db, ALL, '192.0.2.99'), []);
    });

    it('jobs: claim with a lease, expired leases are claimed again, failures retry then fail', async () => {
      const tid = acme;
      await createJob(t.db, { id: `j-${kind}-1`, tenantId: tid, path: '/nonexistent', size: 1 });
      const now = Date.now();
      const a = await claimJob(t.db, 'w1', 1000, now);
      assert.equal(a?.id, `j-${kind}-1`);
      assert.equal(await claimJob(t.db, 'w2', 1000, now + 10), undefined, 'a leased job is not claimed twice');
      const b = await claimJob(t.db, 'w2', 1000, now + 5000);
      assert.equal(b?.id, a!.id, 'the lease expired: another runner takes it');
      assert.equal(b!.attempts, 2);
      assert.equal(await failJob(t.db, b!.id, 'boom'), true);
      const c = await claimJob(t.db, 'w3', 1000, now + 6000);
      assert.equal(c!.attempts, 3);
      assert.equal(await failJob(t.db, c!.id, 'boom again'), false);
      assert.equal((await getJob(t.db, c!.id))!.status, 'failed');
      await createJob(t.db, { id: `j-${kind}-2`, tenantId: tid, path: '/x', size: 1 });
      const d = await claimJob(t.db, 'w1', 1000);
      await finishJob(t.db, d!.id, 1);
      assert.equal((await getJob(t.db, d!.id))!.status, 'done');
    });

    it('passwords, sessions and tokens: hashed at rest, tokens scoped and revocable', async () => {
      const id = await createUser(t.db, `ana-${kind}`, 'a long enough password', 'analyst');
      await grantTenant(t.db, id, acme);
      assert.equal(await checkLogin(t.db, `ana-${kind}`, 'wrong password here'), undefined);
      const u = await checkLogin(t.db, `ana-${kind}`, 'a long enough password');
      assert.equal(u?.id, id);
      const row = await t.db.get<{ pw_hash: string }>('SELECT pw_hash FROM users WHERE id = ?', [id]);
      assert.match(row!.pw_hash, /^scrypt\$/);
      const sid = await createSession(t.db, id);
      const sp = await sessionPrincipal(t.db, sid);
      assert.deepEqual(sp?.scope, { all: false, tenantIds: [acme] });
      assert.equal((await t.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE id = ?', [sid]))!.n, 0, 'the raw session id is not stored');
      const tok = await createToken(t.db, id, 'ci', ['ingest']);
      assert.equal((await t.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash = ?', [tok.token]))!.n, 0);
      assert.deepEqual((await tokenPrincipal(t.db, tok.token))?.scopes, ['ingest']);
      assert.equal(await revokeToken(t.db, tok.id), true);
      assert.equal(await tokenPrincipal(t.db, tok.token), undefined);
      await assert.rejects(createUser(t.db, 'bad name!', 'a long enough password', 'viewer'));
      await assert.rejects(createUser(t.db, 'shorty', 'short', 'viewer'));
    });
  });
}
