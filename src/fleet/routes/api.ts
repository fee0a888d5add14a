import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { App } from '../app.js';
import type { Router } from '../http/router.js';
import { HttpError, readJson, sendJson } from '../http/io.js';
import { getHost, hostScans, listHosts, scanFindings, searchIndicators, STATES, type HostState } from '../store/hosts.js';
import { changeHost, type HostChange } from '../store/workflow.js';
import { failJob, finishJob, getJob, startJob, type JobRow } from '../store/jobs.js';
import { ingestResult } from '../store/ingest.js';
import { parseResultJson, ResultFormatError } from '../result-json.js';
import { inScope } from '../scope.js';
import type { Principal } from '../store/users.js';
import type { Ctx } from '../http/router.js';
import { intParam, listParams, me } from './common.js';
import { acceptCollection, acceptResult } from './ingest.js';

const LEASE_MS = 10 * 60_000;

async function jobFor(app: App, ctx: Ctx, p: Principal): Promise<JobRow> {
  const job = await getJob(app.db, String(ctx.params['id']).slice(0, 100));
  if (!job || !inScope(p.scope, job.tenant_id)) throw new HttpError(404, 'no such job');
  return job;
}

export function apiRoutes(app: App, r: Router): void {
  const db = app.db;
  r.add({ method: 'GET', path: '/api/hosts', kind: 'api', access: { role: 'viewer', token: 'read' }, handler: async (ctx) => {
    const l = listParams(ctx.url.searchParams);
    const size = Number(ctx.url.searchParams.get('pageSize')) || 100;
    sendJson(ctx.res, 200, await listHosts(db, me(ctx).scope, l.filter, { sort: l.sort, desc: l.desc, page: l.page, pageSize: size }));
  } });

  r.add({ method: 'GET', path: '/api/hosts/:id', kind: 'api', access: { role: 'viewer', token: 'read' }, handler: async (ctx) => {
    const host = await getHost(db, me(ctx).scope, intParam(ctx.params['id']));
    if (!host) throw new HttpError(404, 'no such host');
    const scans = await hostScans(db, host.id);
    const findings = host.last_scan_id ? await scanFindings(db, host.last_scan_id, 10_000) : [];
    sendJson(ctx.res, 200, { host, scans: scans.map(({ coverage: _c, ...s }) => s), findings });
  } });

  r.add({ method: 'POST', path: '/api/hosts/:id', kind: 'api', access: { role: 'analyst', token: 'write' }, handler: async (ctx) => {
    const p = me(ctx);
    const host = await getHost(db, p.scope, intParam(ctx.params['id']));
    if (!host) throw new HttpError(404, 'no such host');
    const b = (await readJson(ctx.req, 64 * 1024)) as Record<string, unknown>;
    const ch: HostChange = {};
    if (typeof b['state'] === 'string') {
      if (!STATES.includes(b['state'] as HostState)) throw new HttpError(400, 'unknown state');
      ch.state = b['state'] as HostState;
    }
    if (typeof b['assignee'] === 'string') ch.assignee = b['assignee'];
    if (typeof b['tags'] === 'string') ch.tags = b['tags'];
    if (b['deadline'] === null) ch.deadline = null;
    else if (typeof b['deadline'] === 'string') {
      const t = Date.parse(b['deadline']);
      if (!Number.isFinite(t)) throw new HttpError(400, 'deadline must be an ISO-8601 time');
      ch.deadline = t;
    }
    sendJson(ctx.res, 200, { changed: await changeHost(db, host.id, p.user, ch) });
  } });

  r.add({ method: 'GET', path: '/api/search', kind: 'api', access: { role: 'viewer', token: 'read' }, handler: async (ctx) => {
    sendJson(ctx.res, 200, await searchIndicators(db, me(ctx).scope, ctx.url.searchParams.get('q') ?? ''));
  } });

  r.add({ method: 'POST', path: '/api/results', kind: 'api', access: { role: 'analyst', token: 'ingest' }, handler: async (ctx) => {
    sendJson(ctx.res, 201, await acceptResult(app, ctx, me(ctx)));
  } });

  r.add({ method: 'POST', path: '/api/collections', kind: 'api', access: { role: 'analyst', token: 'ingest' }, handler: async (ctx) => {
    sendJson(ctx.res, 202, await acceptCollection(app, ctx, me(ctx)));
  } });

  r.add({ method: 'GET', path: '/api/jobs/:id', kind: 'api', access: { role: 'viewer', token: 'read' }, handler: async (ctx) => {
    const { path: _p, ...job } = await jobFor(app, ctx, me(ctx));
    sendJson(ctx.res, 200, job);
  } });

  // The remote worker's side: claim, fetch the collection, hand back the result or the failure.
  r.add({ method: 'POST', path: '/api/jobs/:id/start', kind: 'api', access: { role: 'analyst', token: 'worker' }, handler: async (ctx) => {
    const job = await jobFor(app, ctx, me(ctx));
    const b = (await readJson(ctx.req, 4096)) as { worker?: unknown };
    const started = await startJob(db, job.id, typeof b.worker === 'string' ? b.worker : 'worker', LEASE_MS);
    if (!started) throw new HttpError(409, 'job already finished');
    sendJson(ctx.res, 200, { id: started.id, host: started.host, status: started.status, attempts: started.attempts });
  } });

  r.add({ method: 'GET', path: '/api/jobs/:id/collection', kind: 'api', access: { role: 'analyst', token: 'worker' }, handler: async (ctx) => {
    const job = await jobFor(app, ctx, me(ctx));
    const st = await stat(job.path).catch(() => undefined);
    if (!st) throw new HttpError(410, 'the collection is no longer stored');
    ctx.res.writeHead(200, { 'content-type': 'application/zip', 'content-length': st.size });
    await new Promise<void>((res, rej) => createReadStream(job.path).on('error', rej).pipe(ctx.res).on('finish', res).on('error', rej));
  } });

  r.add({ method: 'POST', path: '/api/jobs/:id/result', kind: 'api', access: { role: 'analyst', token: 'worker' }, handler: async (ctx) => {
    const job = await jobFor(app, ctx, me(ctx));
    let result;
    try {
      result = parseResultJson(await readJson(ctx.req, app.opts.maxResultBytes));
    } catch (e) {
      if (e instanceof ResultFormatError) throw new HttpError(422, e.message);
      throw e;
    }
    // keyed by the job id: a retried job that already delivered stores nothing twice
    const out = await ingestResult(db, { tenantId: job.tenant_id, jobId: job.id, result });
    await finishJob(db, job.id, out.hosts + out.duplicates);
    sendJson(ctx.res, 200, { jobId: job.id, ...out });
  } });

  r.add({ method: 'POST', path: '/api/jobs/:id/fail', kind: 'api', access: { role: 'analyst', token: 'worker' }, handler: async (ctx) => {
    const job = await jobFor(app, ctx, me(ctx));
    const b = (await readJson(ctx.req, 8192)) as { error?: unknown; final?: unknown };
    const retry = await failJob(db, job.id, typeof b.error === 'string' ? b.error : 'worker failed', b.final === true);
    sendJson(ctx.res, 200, { retry });
  } });
}
