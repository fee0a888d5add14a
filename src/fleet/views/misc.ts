import { html, fmtTime } from './html.js';
import { layout, verdictBadge, csrfField } from './layout.js';
import type { SearchHit } from '../store/hosts.js';
import type { JobRow } from '../store/jobs.js';
import type { AuditRow } from '../store/workflow.js';
import type { Principal } from '../store/users.js';

export function searchPage(p: Principal, q: string, hits: SearchHit[]): string {
  return layout('Search', p, '/search', html`<h1>Search findings</h1>
<form class="filters" method="get" action="/search"><label>Address, file hash, mailbox, account, file or path (end with * for a prefix)
<input name="q" value="${q}" size="50" autofocus></label><button type="submit">Search</button></form>
${q ? html`<p>${hits.length} host${hits.length === 1 ? '' : 's'} saw <code class="x">${q}</code></p>
<table id="hits"><tr><th>Host</th><th>Tenant</th><th>Verdict</th><th>Kind</th><th>Value</th><th class="num">Scans</th><th>Last seen</th></tr>
${hits.map((h) => html`<tr><td><a href="/hosts/${h.host_id}">${h.host}</a></td><td>${h.tenant}</td><td>${verdictBadge(h.verdict)}</td><td>${h.kind}</td><td><code class="x">${h.value}</code></td><td class="num">${h.scans}</td><td>${fmtTime(h.last_seen)}</td></tr>`)}</table>` : ''}`);
}

export function jobsPage(p: Principal, jobs: (JobRow & { tenant: string })[], tenants: string[], flash?: string): string {
  const canUpload = p.user.role !== 'viewer';
  return layout('Jobs', p, '/jobs', html`<h1>Scan jobs</h1>${flash ? html`<div class="flash">${flash}</div>` : ''}
${canUpload ? html`<div class="panel"><h2>Upload a collection (.zip)</h2>
<form method="post" action="/jobs/upload?_csrf=${encodeURIComponent(p.csrf ?? '')}" enctype="multipart/form-data" class="filters">
<label>Tenant<select name="tenant">${tenants.map((t) => html`<option value="${t}">${t}</option>`)}</select></label>
<label>Host name (optional)<input name="host" size="20"></label><label>Collection<input type="file" name="file" accept=".zip" required></label><button type="submit">Upload and scan</button></form></div>` : ''}
<table id="jobs"><tr><th>Job</th><th>Tenant</th><th>Host</th><th>Status</th><th class="num">Attempts</th><th class="num">Size</th><th>Created</th><th>Updated</th><th>Error</th></tr>
${jobs.map((j) => html`<tr><td><code class="x">${j.id.slice(0, 8)}</code></td><td>${j.tenant}</td><td>${j.host ?? ''}</td><td class="job-status">${j.status}</td>
<td class="num">${j.attempts}</td><td class="num">${j.size}</td><td>${fmtTime(j.created_at)}</td><td>${fmtTime(j.updated_at)}</td><td>${j.error ?? ''}</td></tr>`)}</table>
${csrfField(p)}`, jobs.some((j) => j.status === 'queued' || j.status === 'running') ? 3 : undefined);
}

export function auditPage(p: Principal, rows: AuditRow[]): string {
  return layout('Audit log', p, '/audit', html`<h1>Audit log</h1><table id="audit"><tr><th>When</th><th>Who</th><th>Host</th><th>Action</th><th>Detail</th></tr>
${rows.map((a) => html`<tr><td>${fmtTime(a.created_at)}</td><td>${a.username}</td><td>${a.host_id !== null ? html`<a href="/hosts/${a.host_id}">${a.host ?? a.host_id}</a>` : ''}</td><td>${a.action}</td><td>${a.detail}</td></tr>`)}</table>`);
}

export function errorPage(p: Principal | undefined, status: number, message: string): string {
  return layout(`Error ${status}`, p, '', html`<h1>${status}</h1><div class="error">${message}</div><p><a href="/">Back to the overview</a></p>`);
}
