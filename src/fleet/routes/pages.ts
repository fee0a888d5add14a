import type { App } from '../app.js';
import type { Router } from '../http/router.js';
import { HttpError, redirect, sendHtml } from '../http/io.js';
import { getHost, hostScans, iterateHosts, listHosts, overview, scanFindings, searchIndicators, STATES, type HostState } from '../store/hosts.js';
import { addComment, changeHost, hostAudit, hostComments, recentAudit, type HostChange } from '../store/workflow.js';
import { listJobs } from '../store/jobs.js';
import { listTenants } from '../store/users.js';
import { csvRow } from '../csv.js';
import { overviewPage } from '../views/overview.js';
import { hostsPage } from '../views/hosts.js';
import { hostPage } from '../views/host.js';
import { auditPage, jobsPage, searchPage } from '../views/misc.js';
import { fmtTime } from '../views/html.js';
import { flashOf, formOf, intParam, listParams, me, parseDeadline } from './common.js';
import { acceptCollection } from './ingest.js';

export function pageRoutes(app: App, r: Router): void {
  const db = app.db;
  r.add({ method: 'GET', path: '/', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const now = Date.now();
    sendHtml(ctx.res, 200, overviewPage(me(ctx), await overview(db, me(ctx).scope, now), now));
  } });

  r.add({ method: 'GET', path: '/hosts', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const p = me(ctx);
    const l = listParams(ctx.url.searchParams);
    const page = await listHosts(db, p.scope, l.filter, { sort: l.sort, desc: l.desc, page: l.page });
    const tenants = (await listTenants(db, p.scope)).map((t) => t.name);
    sendHtml(ctx.res, 200, hostsPage(p, l, page, tenants, flashOf(ctx.url.searchParams)));
  } });

  r.add({ method: 'GET', path: '/hosts.csv', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const p = me(ctx);
    const l = listParams(ctx.url.searchParams);
    ctx.res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="exhunt-hosts.csv"' });
    ctx.res.write(csvRow(['host', 'tenant', 'verdict', 'confidence', 'exposure', 'build', 'state', 'assignee', 'deadline', 'tags', 'findings', 'last_scan', 'reason']));
    for await (const h of iterateHosts(db, p.scope, l.filter, l.sort)) {
      const ok = ctx.res.write(csvRow([h.name, h.tenant, h.verdict, h.confidence, h.exposure, h.build, h.state, h.assignee, fmtTime(h.deadline), h.tags.replace(/^,|,$/g, ''), h.finding_count, fmtTime(h.last_scan_at), h.reason]));
      if (!ok) await new Promise((res) => ctx.res.once('drain', res));
    }
    ctx.res.end();
  } });

  r.add({ method: 'GET', path: '/hosts/:id', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const p = me(ctx);
    const host = await getHost(db, p.scope, intParam(ctx.params['id']));
    if (!host) throw new HttpError(404, 'no such host among yours');
    const scans = await hostScans(db, host.id);
    const want = Number(ctx.url.searchParams.get('scan'));
    const scan = scans.find((s) => s.id === want) ?? scans.find((s) => s.id === host.last_scan_id) ?? scans[0];
    const findings = scan ? await scanFindings(db, scan.id) : [];
    sendHtml(ctx.res, 200, hostPage(p, {
      host, scans, ...(scan ? { scan } : {}), findings, comments: await hostComments(db, host.id), audit: await hostAudit(db, host.id),
      ...(flashOf(ctx.url.searchParams) ? { flash: flashOf(ctx.url.searchParams)! } : {}),
    }));
  } });

  const changeOf = (f: URLSearchParams): HostChange => {
    const state = f.get('state');
    if (state && !STATES.includes(state as HostState)) throw new HttpError(400, 'unknown state');
    const ch: HostChange = {};
    if (state) ch.state = state as HostState;
    const assignee = f.get('assignee');
    if (assignee !== null) ch.assignee = assignee;
    const deadline = parseDeadline(f.get('deadline'));
    if (deadline !== undefined) ch.deadline = deadline;
    const tags = f.get('tags');
    if (tags !== null) ch.tags = tags;
    return ch;
  };

  r.add({ method: 'POST', path: '/hosts/:id/update', kind: 'page', access: { role: 'analyst' }, handler: async (ctx) => {
    const p = me(ctx);
    const host = await getHost(db, p.scope, intParam(ctx.params['id']));
    if (!host) throw new HttpError(404, 'no such host among yours');
    await changeHost(db, host.id, p.user, changeOf(await formOf(ctx)));
    redirect(ctx.res, `/hosts/${host.id}?ok=saved`);
  } });

  r.add({ method: 'POST', path: '/hosts/:id/comments', kind: 'page', access: { role: 'analyst' }, handler: async (ctx) => {
    const p = me(ctx);
    const host = await getHost(db, p.scope, intParam(ctx.params['id']));
    if (!host) throw new HttpError(404, 'no such host among yours');
    const body = (await formOf(ctx)).get('body') ?? '';
    if (!body.trim()) throw new HttpError(400, 'comment is empty');
    await addComment(db, host.id, p.user, body);
    redirect(ctx.res, `/hosts/${host.id}?ok=commented`);
  } });

  r.add({ method: 'POST', path: '/hosts/bulk', kind: 'page', access: { role: 'analyst' }, handler: async (ctx) => {
    const p = me(ctx);
    const f = await formOf(ctx);
    const ids = f.getAll('id').slice(0, 5000).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    const ch = changeOf(f);
    if (ch.assignee === '') delete ch.assignee; // an empty bulk field means "keep", not "clear"
    if (ch.deadline === null) delete ch.deadline;
    for (const id of ids) {
      const h = await getHost(db, p.scope, id);
      if (h) await changeHost(db, h.id, p.user, ch);
    }
    redirect(ctx.res, '/hosts?ok=bulk');
  } });

  r.add({ method: 'GET', path: '/search', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const q = (ctx.url.searchParams.get('q') ?? '').slice(0, 500);
    sendHtml(ctx.res, 200, searchPage(me(ctx), q, q ? await searchIndicators(db, me(ctx).scope, q) : []));
  } });

  r.add({ method: 'GET', path: '/jobs', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const p = me(ctx);
    const tenants = (await listTenants(db, p.scope)).map((t) => t.name);
    sendHtml(ctx.res, 200, jobsPage(p, await listJobs(db, p.scope), tenants, flashOf(ctx.url.searchParams)));
  } });

  r.add({ method: 'POST', path: '/jobs/upload', kind: 'page', access: { role: 'analyst' }, handler: async (ctx) => {
    await acceptCollection(app, ctx, me(ctx));
    redirect(ctx.res, '/jobs?ok=uploaded');
  } });

  r.add({ method: 'GET', path: '/audit', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const p = me(ctx);
    sendHtml(ctx.res, 200, auditPage(p, await recentAudit(db, p.scope.all ? 'all' : p.scope.tenantIds)));
  } });
}
