// Every registered route refuses anonymous and under-privileged callers; the route table is the source.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login, startServer, type TestServer } from './helpers.js';
import { roleRank } from '../../src/fleet/scope.js';
import type { Route } from '../../src/fleet/http/router.js';

let s: TestServer;
let routes: readonly Route[];
before(async () => {
  s = await startServer({ scan: async () => { throw new Error('no scans in this test'); } });
  routes = s.fleet.app.router.routes;
});
after(() => s.close());

const pathOf = (r: Route) => r.path.replace(/:[a-z]+/g, '1');

async function call(r: Route, headers: Record<string, string> = {}, csrf?: string): Promise<Response> {
  const url = `${s.base}${pathOf(r)}`;
  if (r.method === 'GET') return fetch(url, { headers, redirect: 'manual' });
  return fetch(url, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: csrf ? `_csrf=${encodeURIComponent(csrf)}` : '',
  });
}

test('the only routes open to anonymous callers are the login page and its stylesheet', () => {
  const open = routes.filter((r) => r.access.public).map((r) => `${r.method} ${r.path}`).sort();
  assert.deepEqual(open, ['GET /login', 'GET /static/app.css', 'POST /login']);
  assert.ok(routes.length >= 30, `expected the full route table, got ${routes.length}`);
});

test('anonymous requests are refused on every other route', async () => {
  for (const r of routes.filter((x) => !x.access.public)) {
    const res = await call(r);
    await res.arrayBuffer();
    if (r.kind === 'page' && r.method === 'GET') {
      assert.equal(res.status, 303, `${r.method} ${r.path}`);
      assert.match(res.headers.get('location') ?? '', /^\/login\?next=/);
    } else {
      assert.equal(res.status, 401, `${r.method} ${r.path}`);
    }
  }
});

test('a session below a route\'s role is refused, even with a valid CSRF token', async () => {
  for (const who of ['viewer', 'analyst'] as const) {
    const sess = await login(s.base, who, s.users[who].password);
    assert.ok(sess.csrf, 'the page carries a CSRF token');
    const above = routes.filter((r) => !r.access.public && roleRank(r.access.role) > roleRank(who));
    assert.ok(above.length > 0);
    for (const r of above) {
      const res = await call(r, { cookie: sess.cookie }, sess.csrf);
      await res.arrayBuffer();
      assert.equal(res.status, 403, `${who}: ${r.method} ${r.path}`);
    }
  }
});

test('API tokens reach only API routes whose scope they hold; pages refuse tokens', async () => {
  const read = await s.token('admin', ['read']);
  const all = await s.token('admin', ['read', 'ingest', 'write', 'worker']);
  for (const r of routes.filter((x) => !x.access.public)) {
    if (r.kind === 'page') {
      const res = await call(r, { authorization: `Bearer ${all}` });
      await res.arrayBuffer();
      assert.equal(res.status, 403, `token on page ${r.method} ${r.path}`);
    } else if (r.access.public !== true && r.access.token !== 'read') {
      const res = await call(r, { authorization: `Bearer ${read}` });
      await res.arrayBuffer();
      assert.equal(res.status, 403, `read token on ${r.method} ${r.path}`);
    }
  }
  // a token's scope does not lift its user's role
  const viewerIngest = await s.token('viewer', ['ingest']);
  const res = await fetch(`${s.base}/api/results`, { method: 'POST', headers: { authorization: `Bearer ${viewerIngest}`, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 403);
  const bogus = await fetch(`${s.base}/api/hosts`, { headers: { authorization: 'Bearer exh_not-a-token' } });
  assert.equal(bogus.status, 401);
});

test('state-changing requests from a cookie session need the CSRF token and a same-origin Origin', async () => {
  const sess = await login(s.base, 'admin', s.users.admin.password);
  const posts = routes.filter((r) => r.method === 'POST' && !r.access.public);
  for (const r of posts) {
    const res = await call(r, { cookie: sess.cookie });
    await res.arrayBuffer();
    assert.equal(res.status, 403, `no CSRF token: ${r.path}`);
    const wrong = await call(r, { cookie: sess.cookie }, 'x'.repeat(sess.csrf.length));
    await wrong.arrayBuffer();
    assert.equal(wrong.status, 403, `wrong CSRF token: ${r.path}`);
  }
  const cross = await fetch(`${s.base}/admin/tenants`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: sess.cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    body: `_csrf=${sess.csrf}&name=evil`,
  });
  assert.equal(cross.status, 403);
  const ok = await fetch(`${s.base}/admin/tenants`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: sess.cookie, origin: s.base, 'content-type': 'application/x-www-form-urlencoded' },
    body: `_csrf=${sess.csrf}&name=initech`,
  });
  assert.equal(ok.status, 303);
});

test('the route table itself: admin pages need admin, every change needs at least analyst', () => {
  for (const r of routes) {
    if (r.access.public) continue;
    if (r.path.startsWith('/admin')) assert.equal(r.access.role, 'admin', r.path);
    if (r.method === 'POST' && r.path !== '/logout') assert.ok(roleRank(r.access.role) >= roleRank('analyst'), `${r.path} changes state`);
    if (r.path.startsWith('/api/jobs/') && r.method === 'POST') assert.equal(r.access.token, 'worker', r.path);
  }
});
