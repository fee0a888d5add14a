import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ScanResult } from '../types.js';
import { toResultJson } from './result-json.js';

// The HTTP client side of the fleet API: `exhunt scan --upload` and `exhunt worker` use it.

export interface UploadOutcome { jobId: string; hosts: number; duplicates: number; findings: number }

async function fail(res: Response, what: string): Promise<never> {
  const text = (await res.text().catch(() => '')).slice(0, 500);
  let msg = text;
  try { msg = (JSON.parse(text) as { error?: string }).error ?? text; } catch { /* plain text */ }
  throw new Error(`${what}: HTTP ${res.status} ${msg}`);
}

function endpoint(base: string, path: string): string {
  const u = new URL(base);
  return new URL(path, u.origin + u.pathname.replace(/\/?$/, '/')).toString();
}

/**
 * Post a finished scan result to `exhunt serve`. `url` is the server's base URL (https://fleet.example/),
 * optionally with ?tenant=NAME; `result` is the in-memory ScanResult or its JSON form. The request carries
 * an idempotency key so a retry after a lost answer stores the result once.
 */
export async function uploadResult(url: string, token: string, result: ScanResult | Record<string, unknown>, opts: { tenant?: string; idempotencyKey?: string } = {}): Promise<UploadOutcome> {
  const u = new URL(url);
  const target = new URL(endpoint(url, 'api/results'));
  const tenant = opts.tenant ?? u.searchParams.get('tenant');
  if (tenant) target.searchParams.set('tenant', tenant);
  const body = typeof (result as ScanResult).started === 'number' ? toResultJson(result as ScanResult) : result;
  const key = opts.idempotencyKey ?? crypto.randomUUID();
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      if (res.ok) return (await res.json()) as UploadOutcome;
      if (res.status < 500 && res.status !== 429) await fail(res, 'upload refused');
      last = new Error(`upload failed: HTTP ${res.status}`);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('upload refused')) throw e;
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
  }
  throw last instanceof Error ? last : new Error(String(last));
}

/** What a remote worker asks of the server for one job. */
export class WorkerApi {
  constructor(private readonly base: string, private readonly token: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(endpoint(this.base, path), {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) await fail(res, `${method} ${path}`);
    return res;
  }

  async start(jobId: string, worker: string): Promise<{ id: string; host: string | null; status: string; attempts: number }> {
    return (await this.call('POST', `api/jobs/${encodeURIComponent(jobId)}/start`, { worker })).json() as never;
  }

  async download(jobId: string, dest: string): Promise<void> {
    const res = await this.call('GET', `api/jobs/${encodeURIComponent(jobId)}/collection`);
    if (!res.body) throw new Error('empty collection download');
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(dest, { mode: 0o600 }));
  }

  async submit(jobId: string, result: ScanResult): Promise<UploadOutcome> {
    return (await this.call('POST', `api/jobs/${encodeURIComponent(jobId)}/result`, toResultJson(result))).json() as never;
  }

  async fail(jobId: string, error: string, final: boolean): Promise<void> {
    await this.call('POST', `api/jobs/${encodeURIComponent(jobId)}/fail`, { error: error.slice(0, 2000), final });
  }
}
