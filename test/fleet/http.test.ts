// The server over HTTP: login and cookies, headers, ingest of results and collections, escaping, CSV,
// workflow, tenant isolation, hostile input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { uploadResult } from '../../src/fleet/client.js';
import { toResultJson } from '../../src/fleet/result-json.js';
import type { ScanFn } from '../../src/fleet/queue/types.js';
import { finding, hostResult, login, makeZip, scanResult, startServer, type TestServer } from './helpers.js';

// The injected scan: one host named by the job (or 'zip-host'), one finding per zip byte kilobyte.
const fakeScan: ScanFn = async (input, opts) => scanResult([hostResult(opts.host ?? 'zip-host', 'exploited', [finding(1), finding(2)])], Date.now());

let s: TestServer;
before(async () => { s = await startServer({ scan: fakeScan, maxUploadBytes: 1024 * 1024, inproc: { pollMs: 50 } }); });
after(() => s.close());

const form = (sess: { cookie: string; csrf: string }, fields: Record<string, string>) => ({
  method: 'POST', redirect: 'manual' as const,
  headers: { cookie: sess.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: sess.csrf, ...fields }).toString(),
});

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('login sets a strict HttpOnly session cookie; pages carry a strict CSP', async () => {
  const bad = await fetch(`${s.base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=analyst&password=nope' });
  assert.equal(bad.status, 401);
  const res = await fetch(`${s.base}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'analyst', password: s.users.analyst.password, next: '//evil.example/' }).toString(),
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/', 'an off-site next= is ignored');
  const c = res.headers.get('set-cookie')!;
  assert.match(c, /HttpOnly/);
  assert.match(c, /SameSite=Strict/);
  assert.doesNotMatch(c, /Secure/, 'plain HTTP test server: no Secure flag');
  const page = await fetch(`${s.base}/`, { headers: { cookie: c.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  const html = await page.text();
  assert.doesNotMatch(html, /<script|style="/i, 'no inline script or style');
  const css = await fetch(`${s.base}/static/app.css`);
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
});

test('login attempts are rate limited per user name', async () => {
  let last = 0;
  for (let i = 0; i < 12; i++) {
    const r = await fetch(`${s.base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=victim&password=guess' });
    last = r.status;
    await r.arrayBuffer();
  }
  assert.equal(last, 429);
});

test('posted results are stored once per idempotency key, in the caller\'s tenant only', async () => {
  const tok = await s.token('analyst', ['ingest', 'read']);
  const result = scanResult([hostResult('mail.acme.test', 'compromised', [finding(1), finding(2), finding(3)])]);
  const a = await uploadResult(s.base, tok, result, { idempotencyKey: 'k1' });
  assert.equal(a.hosts, 1);
  assert.equal(a.findings, 3);
  const b = await uploadResult(s.base, tok, toResultJson(result), { idempotencyKey: 'k1' });
  assert.equal(b.duplicates, 1, 'a retry with the same key stores nothing again');
  const list = await (await fetch(`${s.base}/api/hosts?q=mail.acme.test`, { headers: { authorization: `Bearer ${tok}` } })).json() as { rows: { id: number; finding_count: number }[] };
  assert.equal(list.rows.length, 1);
  const id = list.rows[0]!.id;
  const detail = await (await fetch(`${s.base}/api/hosts/${id}`, { headers: { authorization: `Bearer ${tok}` } })).json() as { findings: unknown[] };
  assert.equal(detail.findings.length, 3);
  // a user of another tenant cannot see it, by id or by search
  const other = await login(s.base, 'other', s.users.other.password);
  assert.equal((await fetch(`${s.base}/hosts/${id}`, { headers: { cookie: other.cookie } })).status, 404);
  const search = await (await fetch(`${s.base}/search?q=203.0.113.1`, { headers: { cookie: other.cookie } })).text();
  assert.doesNotMatch(search, /mail\.acme\.test/);
  // and cannot post into a tenant not granted to them
  const otherTok = await s.token('other', ['ingest']);
  await assert.rejects(uploadResult(`${s.base}/?tenant=acme`, otherTok, result), /403/);
});

test('bad results get clear refusals: future schema, bad fields, not JSON, too large', async () => {
  const tok = await s.token('analyst', ['ingest']);
  const post = (body: string, type = 'application/json') => fetch(`${s.base}/api/results`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': type }, body });
  const doc = toResultJson(scanResult([hostResult('x', 'clean', [])]));
  const future = await post(JSON.stringify({ ...doc, schemaVersion: '2.0' }));
  assert.equal(future.status, 422);
  assert.match(((await future.json()) as { error: string }).error, /not supported by this server/);
  const badVerdict = await post(JSON.stringify({ ...doc, hosts: [{ ...(doc['hosts'] as object[])[0], verdict: 'owned' }] }));
  assert.equal(badVerdict.status, 422);
  assert.match(((await badVerdict.json()) as { error: string }).error, /hosts\[0\]\.verdict/);
  assert.equal((await post('{"nope"')).status, 400);
  assert.equal((await post('x', 'text/plain')).status, 415);
  const big = await post(JSON.stringify({ pad: 'x'.repeat(70 * 1024 * 1024) })).catch(() => undefined);
  assert.ok(!big || big.status === 413, 'over the result size limit');
});

test('attacker text is escaped on every page', async () => {
  const tok = await s.token('analyst', ['ingest']);
  const evil = '<script>alert(1)</script>';
  const f = finding(1, { evidence: { path: '"><img src=x onerror=alert(2)>', line: 1, excerpt: `GET /owa/${evil}` }, entities: { ips: ['1.2.3.4'], users: [], mailboxes: [`${evil}@x`], files: [] } });
  await uploadResult(s.base, tok, scanResult([hostResult(`host${evil}`, 'compromised', [f], { reason: evil })]));
  const sess = await login(s.base, 'analyst', s.users.analyst.password);
  const list = await (await fetch(`${s.base}/hosts?q=script`, { headers: { cookie: sess.cookie } })).text();
  const id = /href="\/hosts\/(\d+)"/.exec(list)?.[1];
  assert.ok(id);
  const pages = [list, await (await fetch(`${s.base}/hosts/${id}`, { headers: { cookie: sess.cookie } })).text(),
    await (await fetch(`${s.base}/search?q=${encodeURIComponent(`${evil}@x`)}`, { headers: { cookie: sess.cookie } })).text(),
    await (await fetch(`${s.base}/audit`, { headers: { cookie: sess.cookie } })).text()];
  for (const p of pages) {
    assert.doesNotMatch(p, /<script>alert|<img src=x/);
  }
  assert.match(pages[1]!, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(pages[2]!, /1 host saw/);
});

test('CSV export escapes formula injection', async () => {
  const tok = await s.token('analyst', ['ingest']);
  await uploadResult(s.base, tok, scanResult([hostResult("=cmd|' /C calc'!A0", 'clean', [], { reason: '@SUM(1+1)' })]));
  const sess = await login(s.base, 'analyst', s.users.analyst.password);
  const csv = await (await fetch(`${s.base}/hosts.csv?q=cmd`, { headers: { cookie: sess.cookie } })).text();
  const lines = csv.trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.ok(lines[1]!.startsWith(`"'=cmd|' /C calc'!A0"`), lines[1]);
  assert.match(lines[1]!, /"'@SUM\(1\+1\)"$/);
});

test('remediation: state changes, comments and bulk actions are audited', async () => {
  const tok = await s.token('analyst', ['ingest']);
  await uploadResult(s.base, tok, scanResult([hostResult('wf1.acme', 'compromised', [finding(1)]), hostResult('wf2.acme', 'exploited', [finding(2)])]));
  const sess = await login(s.base, 'analyst', s.users.analyst.password);
  const list = await (await fetch(`${s.base}/hosts?q=wf&sort=name&dir=asc`, { headers: { cookie: sess.cookie } })).text();
  const ids = [...list.matchAll(/name="id" value="(\d+)"/g)].map((m) => m[1]!);
  assert.equal(ids.length, 2);
  const up = await fetch(`${s.base}/hosts/${ids[0]}/update`, form(sess, { state: 'mitigated', assignee: 'bob', deadline: '2021-03-12', tags: 'dmz' }));
  assert.equal(up.status, 303);
  const bad = await fetch(`${s.base}/hosts/${ids[0]}/update`, form(sess, { state: 'pwned' }));
  assert.equal(bad.status, 400);
  await fetch(`${s.base}/hosts/${ids[0]}/comments`, form(sess, { body: 'web shell removed' }));
  const body = new URLSearchParams({ _csrf: sess.csrf, state: 'patched', assignee: '', deadline: '' });
  for (const id of ids) body.append('id', id);
  const bulk = await fetch(`${s.base}/hosts/bulk`, { method: 'POST', redirect: 'manual', headers: { cookie: sess.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  assert.equal(bulk.status, 303);
  const page = await (await fetch(`${s.base}/hosts/${ids[0]}`, { headers: { cookie: sess.cookie } })).text();
  assert.match(page, /state: mitigated -&gt; patched/);
  assert.match(page, /state: new -&gt; mitigated/);
  assert.match(page, /assignee: \(none\) -&gt; bob/, 'bulk with an empty assignee keeps bob');
  assert.match(page, /web shell removed/);
  const filtered = await (await fetch(`${s.base}/hosts?state=patched&tag=dmz`, { headers: { cookie: sess.cookie } })).text();
  assert.match(filtered, /wf1\.acme/);
  assert.doesNotMatch(filtered, /wf2\.acme/);
  // a viewer sees the page but no forms, and cannot post
  const viewer = await login(s.base, 'viewer', s.users.viewer.password);
  const vp = await (await fetch(`${s.base}/hosts/${ids[0]}`, { headers: { cookie: viewer.cookie } })).text();
  assert.doesNotMatch(vp, /action="\/hosts\/\d+\/update"/);
});

test('collections: streamed upload, checked, scanned by the runner; hostile zips refused', async () => {
  const tok = await s.token('analyst', ['ingest', 'read']);
  const put = (body: Buffer, q = '') => fetch(`${s.base}/api/collections${q}`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/zip' }, body });
  const good = makeZip([{ name: 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', data: Buffer.from('#Fields: date time\n') }]);
  const res = await put(good, '?host=uploaded.acme');
  assert.equal(res.status, 202);
  const { jobId } = (await res.json()) as { jobId: string };
  const job = await waitFor(async () => {
    const j = (await (await fetch(`${s.base}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${tok}` } })).json()) as { status: string };
    return j.status === 'done' ? j : undefined;
  });
  assert.equal(job.status, 'done');
  const hosts = (await (await fetch(`${s.base}/api/hosts?q=uploaded.acme`, { headers: { authorization: `Bearer ${tok}` } })).json()) as { rows: { finding_count: number }[] };
  assert.equal(hosts.rows[0]?.finding_count, 2);

  const traversal = await put(makeZip([{ name: '../../etc/cron.d/x', data: Buffer.from('x') }]));
  assert.equal(traversal.status, 400);
  assert.match(((await traversal.json()) as { error: string }).error, /escapes the collection/);
  const notZip = await put(Buffer.from('MZ this is an exe'));
  assert.equal(notZip.status, 400);
  const bomb = await put(makeZip([{ name: 'big.log', data: Buffer.alloc(20 * 1024 * 1024), deflate: true }]));
  assert.equal(bomb.status, 400);
  assert.match(((await bomb.json()) as { error: string }).error, /zip bomb/);
  const huge = await put(Buffer.alloc(2 * 1024 * 1024)).catch(() => undefined);
  assert.ok(!huge || huge.status === 413);
  const left = await readdir(join(s.dir, 'data', 'uploads'));
  assert.deepEqual(left, [], 'refused and finished uploads leave nothing on disk');
});

test('the browser upload form (multipart) queues a job', async () => {
  const sess = await login(s.base, 'analyst', s.users.analyst.password);
  const fd = new FormData();
  fd.set('tenant', 'acme');
  fd.set('host', 'form.acme');
  fd.set('file', new Blob([makeZip([{ name: 'a.log', data: Buffer.from('hello\r\n--not-a-boundary\r\n') }])]), 'c.zip');
  const res = await fetch(`${s.base}/jobs/upload?_csrf=${encodeURIComponent(sess.csrf)}`, { method: 'POST', redirect: 'manual', headers: { cookie: sess.cookie }, body: fd });
  assert.equal(res.status, 303);
  await waitFor(async () => {
    const p = await (await fetch(`${s.base}/hosts?q=form.acme`, { headers: { cookie: sess.cookie } })).text();
    return /form\.acme/.test(p) ? true : undefined;
  });
  const noCsrf = await fetch(`${s.base}/jobs/upload`, { method: 'POST', redirect: 'manual', headers: { cookie: sess.cookie }, body: fd });
  assert.equal(noCsrf.status, 403);
});
