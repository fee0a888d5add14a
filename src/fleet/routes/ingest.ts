import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { App } from '../app.js';
import type { Ctx } from '../http/router.js';
import { HttpError, readJson } from '../http/io.js';
import { receiveUpload } from '../http/upload.js';
import { checkZip } from '../zip-check.js';
import { createJob } from '../store/jobs.js';
import { ingestResult, type IngestOutcome } from '../store/ingest.js';
import { ensureTenant, type Principal } from '../store/users.js';
import { parseResultJson, ResultFormatError } from '../result-json.js';
import { inScope } from '../scope.js';
import { sha256Hex } from '../password.js';

/** The tenant an upload goes to: named, or the caller's only tenant. Admins may name a new one. */
export async function resolveTenant(app: App, p: Principal, name: string | null | undefined): Promise<number> {
  const n = name?.trim();
  if (n) {
    const row = await app.db.get<{ id: number }>('SELECT id FROM tenants WHERE name = ?', [n.slice(0, 100)]);
    if (row && inScope(p.scope, row.id)) return row.id;
    if (!row && p.scope.all) return ensureTenant(app.db, n);
    throw new HttpError(403, 'no such tenant among yours');
  }
  if (!p.scope.all && p.scope.tenantIds.length === 1) return p.scope.tenantIds[0]!;
  throw new HttpError(400, 'name the tenant (?tenant=NAME)');
}

function checkUploadRate(app: App, p: Principal): void {
  if (!app.limits.upload.take(`u${p.user.id}`)) throw new HttpError(429, 'too many uploads; wait a minute');
}

/** Stream a collection to disk, check it, and queue a scan job. */
export async function acceptCollection(app: App, ctx: Ctx, p: Principal): Promise<{ jobId: string; size: number }> {
  checkUploadRate(app, p);
  const jobId = randomUUID();
  const path = join(app.opts.dataDir, 'uploads', `${jobId}.zip`);
  const got = await receiveUpload(ctx.req, path, app.opts.maxUploadBytes);
  try {
    const tenantId = await resolveTenant(app, p, got.fields['tenant'] ?? ctx.url.searchParams.get('tenant'));
    const host = (got.fields['host'] ?? ctx.url.searchParams.get('host') ?? '').trim().slice(0, 255);
    if (got.size === 0) throw new HttpError(400, 'the upload is empty');
    await checkZip(path).catch((e: Error) => { throw new HttpError(400, e.message); });
    await createJob(app.db, { id: jobId, tenantId, ...(host ? { host } : {}), path, size: got.size, createdBy: p.user.id });
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
  // A queue that is away (Redis restarting) does not lose the job: it is stored, and re-queued on start.
  await app.queue.enqueue(jobId).catch((e: Error) => console.error(`exhunt serve: job ${jobId} stored, queue unavailable: ${e.message}`));
  return { jobId, size: got.size };
}

/** Store a posted scan result. The idempotency key (header) makes a client's retry store it once. */
export async function acceptResult(app: App, ctx: Ctx, p: Principal): Promise<IngestOutcome & { jobId: string }> {
  checkUploadRate(app, p);
  const doc = await readJson(ctx.req, app.opts.maxResultBytes);
  let result;
  try {
    result = parseResultJson(doc);
  } catch (e) {
    if (e instanceof ResultFormatError) throw new HttpError(422, e.message);
    throw e;
  }
  const tenantId = await resolveTenant(app, p, ctx.url.searchParams.get('tenant'));
  const key = String(ctx.req.headers['idempotency-key'] ?? '').slice(0, 200);
  const jobId = key ? `post-${sha256Hex(`${p.user.id}\0${key}`).slice(0, 32)}` : `post-${randomUUID()}`;
  const out = await ingestResult(app.db, { tenantId, jobId, result });
  return { jobId, ...out };
}
