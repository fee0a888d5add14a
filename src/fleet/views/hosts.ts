import { html, fmtTime, qs } from './html.js';
import { layout, verdictBadge, csrfField } from './layout.js';
import { STATES, SORTS, type HostFilter, type HostPage, type SortKey } from '../store/hosts.js';
import type { Principal } from '../store/users.js';

const VERDICTS = ['compromised', 'exploited', 'attempted', 'vulnerable', 'inconclusive', 'clean'];

export interface ListParams { filter: HostFilter; sort: SortKey; desc: boolean; page: number }

/** Filter and sort values as query-string fields, so links keep the current view. */
export function listQuery(l: ListParams, over: Record<string, string | number | undefined> = {}): Record<string, string | number | undefined> {
  const f = l.filter;
  return {
    verdict: f.verdict, exposure: f.exposure, state: f.state, tenant: f.tenant, tag: f.tag, cve: f.cve, fix: f.fix, assignee: f.assignee,
    q: f.q, stale: f.staleDays, overdue: f.overdue ? 1 : undefined, sort: l.sort, dir: l.desc ? 'desc' : 'asc', page: l.page > 1 ? l.page : undefined, ...over,
  };
}

const select = (name: string, label: string, values: readonly string[], cur: string | undefined) =>
  html`<label>${label}<select name="${name}"><option value="">any</option>${values.map((v) => html`<option value="${v}"${cur === v ? html` selected` : ''}>${v}</option>`)}</select></label>`;

export function hostsPage(p: Principal, l: ListParams, page: HostPage, tenants: string[], flash?: string): string {
  const f = l.filter;
  const th = (key: SortKey, label: string) => {
    const on = l.sort === key;
    const dir = on && !l.desc ? 'desc' : 'asc';
    return html`<th><a href="/hosts${qs(listQuery(l, { sort: key, dir, page: undefined }))}">${label}${on ? (l.desc ? ' ▾' : ' ▴') : ''}</a></th>`;
  };
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const analyst = p.user.role !== 'viewer';
  const now = Date.now();
  return layout('Hosts', p, '/hosts', html`<h1>Hosts <span class="muted small">${page.total}${page.capped ? '+' : ''} matching</span></h1>
${flash ? html`<div class="flash">${flash}</div>` : ''}
<form class="filters" method="get" action="/hosts">
<label>Name<input name="q" value="${f.q ?? ''}" size="14"></label>
${select('verdict', 'Verdict', VERDICTS, f.verdict)}${select('exposure', 'Exposure', ['exposed', 'patched', 'unknown'], f.exposure)}
${select('state', 'State', STATES, f.state)}${select('tenant', 'Tenant', tenants, f.tenant)}
<label>Tag<input name="tag" value="${f.tag ?? ''}" size="8"></label><label>CVE<input name="cve" value="${f.cve ?? ''}" size="14" placeholder="CVE-2021-26855"></label>
<label>Missing fix<input name="fix" value="${f.fix ?? ''}" size="10"></label><label>Assignee<input name="assignee" value="${f.assignee ?? ''}" size="8"></label>
<label>Not scanned for (days)<input name="stale" type="number" min="0" value="${f.staleDays ?? ''}" size="4"></label>
<label>Past deadline<select name="overdue"><option value="">any</option><option value="1"${f.overdue ? html` selected` : ''}>yes</option></select></label>
<input type="hidden" name="sort" value="${l.sort}"><input type="hidden" name="dir" value="${l.desc ? 'desc' : 'asc'}">
<button type="submit">Filter</button> <a href="/hosts">reset</a> <a href="/hosts.csv${qs(listQuery(l, { page: undefined }))}">CSV</a></form>
<table id="hosts"><tr>${analyst ? html`<th></th>` : ''}${th('name', 'Host')}${th('tenant', 'Tenant')}${th('verdict', 'Verdict')}<th>Exposure</th>${th('state', 'State')}<th>Assignee</th>${th('deadline', 'Deadline')}${th('findings', 'Findings')}${th('last_scan', 'Last scan')}</tr>
${page.rows.map((h) => html`<tr>${analyst ? html`<td><input type="checkbox" name="id" value="${h.id}" form="bulk" aria-label="select ${h.name}"></td>` : ''}
<td><a href="/hosts/${h.id}">${h.name}</a>${h.tags ? html` <span class="muted small">${h.tags.replace(/^,|,$/g, '')}</span>` : ''}</td><td>${h.tenant}</td><td>${verdictBadge(h.verdict)}</td><td>${h.exposure}</td>
<td><span class="state">${h.state}</span></td><td>${h.assignee ?? ''}</td><td class="${h.deadline !== null && h.deadline < now && h.state !== 'verified' ? 'overdue' : ''}">${fmtTime(h.deadline)}</td>
<td class="num">${h.finding_count}</td><td>${fmtTime(h.last_scan_at)}</td></tr>`)}</table>
<div class="pager">${l.page > 1 ? html`<a href="/hosts${qs(listQuery(l, { page: l.page - 1 }))}">← previous</a>` : ''}
<span>page ${l.page} of ${pages}${page.capped ? '+' : ''}</span>${l.page < pages || page.capped ? html`<a href="/hosts${qs(listQuery(l, { page: l.page + 1 }))}">next →</a>` : ''}</div>
${analyst ? html`<form id="bulk" class="bulk" method="post" action="/hosts/bulk">${csrfField(p)}<strong>Selected hosts:</strong>
<select name="state"><option value="">keep state</option>${STATES.map((s) => html`<option value="${s}">${s}</option>`)}</select>
<input name="assignee" placeholder="assignee" size="10"><input name="deadline" type="date" aria-label="deadline"><button type="submit">Apply</button></form>` : ''}`);
}

export const SORT_KEYS = Object.keys(SORTS) as SortKey[];
