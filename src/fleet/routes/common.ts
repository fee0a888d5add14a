import type { Ctx } from '../http/router.js';
import { HttpError, readForm } from '../http/io.js';
import type { Principal } from '../store/users.js';
import type { HostFilter, SortKey } from '../store/hosts.js';
import { SORTS } from '../store/hosts.js';
import type { ListParams } from '../views/hosts.js';

export const formOf = async (ctx: Ctx): Promise<URLSearchParams> => ctx.form ?? (ctx.form = await readForm(ctx.req));
export const me = (ctx: Ctx): Principal => {
  if (!ctx.principal) throw new HttpError(401, 'log in first');
  return ctx.principal;
};

export function intParam(v: string | undefined): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new HttpError(404, 'not found');
  return n;
}

/** A date field (YYYY-MM-DD): the deadline is the end of that UTC day. '' clears, anything else is refused. */
export function parseDeadline(v: string | null): number | null | undefined {
  if (v === null) return undefined;
  if (v === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !Number.isFinite(Date.parse(`${v}T23:59:59Z`))) throw new HttpError(400, 'deadline must be a date (YYYY-MM-DD)');
  return Date.parse(`${v}T23:59:59Z`);
}

const clip = (v: string | null, n = 200) => (v ? v.trim().slice(0, n) || undefined : undefined);

export function listParams(u: URLSearchParams): ListParams {
  const stale = u.get('stale');
  const filter: HostFilter = {
    verdict: clip(u.get('verdict')), exposure: clip(u.get('exposure')), state: clip(u.get('state')), tenant: clip(u.get('tenant')),
    tag: clip(u.get('tag')), cve: clip(u.get('cve')), fix: clip(u.get('fix')), assignee: clip(u.get('assignee')), q: clip(u.get('q')),
    ...(stale && /^\d{1,5}$/.test(stale) ? { staleDays: Number(stale) } : {}),
    ...(u.get('overdue') === '1' ? { overdue: true } : {}),
  };
  for (const k of Object.keys(filter) as (keyof HostFilter)[]) if (filter[k] === undefined) delete filter[k];
  const sortRaw = u.get('sort') ?? 'verdict';
  // own keys only: 'constructor' or 'toString' must not reach ORDER BY
  const sort = (Object.hasOwn(SORTS, sortRaw) ? sortRaw : 'verdict') as SortKey;
  const dir = u.get('dir');
  const desc = dir ? dir === 'desc' : sort === 'verdict' || sort === 'findings' || sort === 'last_scan';
  const page = Math.min(Math.max(Number(u.get('page')) || 1, 1), 100_000);
  return { filter, sort, desc, page };
}

const FLASH: Record<string, string> = {
  saved: 'Saved.', bulk: 'Bulk change applied.', uploaded: 'Collection uploaded; a worker will scan it.', commented: 'Comment added.',
};
export const flashOf = (u: URLSearchParams): string | undefined => FLASH[u.get('ok') ?? ''];
