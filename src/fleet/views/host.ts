import { html, fmtTime, fmtDate, type Safe } from './html.js';
import { layout, verdictBadge, csrfField } from './layout.js';
import { STATES, type FindingRow, type HostRow, type ScanRow } from '../store/hosts.js';
import type { AuditRow, CommentRow } from '../store/workflow.js';
import type { Principal } from '../store/users.js';

export interface HostView {
  host: HostRow;
  scans: ScanRow[];
  scan?: ScanRow;
  findings: FindingRow[];
  comments: CommentRow[];
  audit: AuditRow[];
  flash?: string;
}

const parse = <T>(s: string | null | undefined, d: T): T => {
  try { return s ? (JSON.parse(s) as T) : d; } catch { return d; }
};

function assessment(s: ScanRow | undefined): Safe {
  if (!s) return html`<p class="muted">No scan stored.</p>`;
  const ips = parse<string[]>(s.attacker_ips, []);
  const cov = parse<{ families?: { family?: string; files?: number; records?: number; first?: unknown; last?: unknown }[]; notes?: string[] }>(s.coverage, {});
  const exposure = parse<Record<string, unknown> | null>(s.exposure, null);
  return html`<dl class="kv"><dt>Verdict</dt><dd>${verdictBadge(s.verdict)} (${s.confidence} confidence)</dd>
<dt>Why</dt><dd>${s.reason}</dd><dt>Stages</dt><dd>${s.stages || 'none'}</dd>
<dt>Evidence from</dt><dd>${s.first_evidence !== null ? html`${fmtTime(s.first_evidence)} to ${fmtTime(s.last_evidence)}` : 'no dated evidence'}</dd>
<dt>Attacker addresses</dt><dd>${ips.length ? ips.slice(0, 50).map((ip, i) => html`${i ? ', ' : ''}<a href="/search?q=${encodeURIComponent(ip)}">${ip}</a>`) : 'none'}</dd>
<dt>Scan</dt><dd>${fmtTime(s.finished)} · exhunt ${s.tool_version} · job <code class="x">${s.job_id}</code></dd>
${exposure ? html`<dt>Exposure</dt><dd><code class="x">${JSON.stringify(exposure).slice(0, 600)}</code></dd>` : ''}</dl>
${Array.isArray(cov.families) && cov.families.length ? html`<h2>What the logs cover</h2><table><tr><th>Log family</th><th class="num">Files</th><th class="num">Records</th><th>From</th><th>To</th></tr>
${cov.families.slice(0, 100).map((f) => html`<tr><td>${String(f.family ?? '')}</td><td class="num">${Number(f.files ?? 0)}</td><td class="num">${Number(f.records ?? 0)}</td><td>${String(f.first ?? '').slice(0, 16)}</td><td>${String(f.last ?? '').slice(0, 16)}</td></tr>`)}</table>` : ''}
${Array.isArray(cov.notes) && cov.notes.length ? html`<ul>${cov.notes.slice(0, 50).map((n) => html`<li>${String(n)}</li>`)}</ul>` : ''}`;
}

function findingsTable(rows: FindingRow[]): Safe {
  if (rows.length === 0) return html`<p class="muted">No findings in this scan.</p>`;
  return html`<table id="findings"><tr><th>Time</th><th>Level</th><th>Stage</th><th>Rule</th><th>CVEs</th><th>Evidence</th></tr>
${rows.map((f) => html`<tr><td>${fmtTime(f.time)}</td><td class="lvl-${f.level}">${f.level}</td><td>${f.stage}</td><td>${f.title}<div class="muted small">${f.rule_id}</div></td>
<td>${f.cves.split(',').filter(Boolean).map((c) => html`<a href="/hosts?cve=${encodeURIComponent(c)}">${c}</a> `)}</td>
<td><div class="small">${f.path}${f.line !== null ? `:${f.line}` : ''}${f.record !== null ? ` #${f.record}` : ''}</div><pre>${f.excerpt.slice(0, 600)}</pre></td></tr>`)}</table>`;
}

export function hostPage(p: Principal, v: HostView): string {
  const h = v.host;
  const analyst = p.user.role !== 'viewer';
  return layout(h.name, p, '/hosts', html`<h1>${h.name} <span class="muted small">${h.tenant}</span> ${verdictBadge(h.verdict)} <span class="state">${h.state}</span></h1>
${v.flash ? html`<div class="flash">${v.flash}</div>` : ''}
<div class="grid2"><div>
<div class="panel"><h2>Assessment${v.scan && v.scan.id !== h.last_scan_id ? ` (older scan of ${fmtTime(v.scan.finished)})` : ''}</h2>${assessment(v.scan)}</div>
<div class="panel"><h2>Findings and timeline (${v.scan?.finding_count ?? 0})</h2>${findingsTable(v.findings)}</div>
</div><div>
<div class="panel"><h2>Remediation</h2><dl class="kv"><dt>State</dt><dd id="state">${h.state}</dd><dt>Assignee</dt><dd>${h.assignee ?? ''}</dd>
<dt>Deadline</dt><dd>${fmtTime(h.deadline)}</dd><dt>Tags</dt><dd>${h.tags.replace(/^,|,$/g, '')}</dd><dt>Exposure</dt><dd>${h.exposure}${h.build ? ` (build ${h.build})` : ''}</dd></dl>
${analyst ? html`<form method="post" action="/hosts/${h.id}/update">${csrfField(p)}
<p><label>State <select name="state">${STATES.map((s) => html`<option value="${s}"${s === h.state ? html` selected` : ''}>${s}</option>`)}</select></label></p>
<p><label>Assignee <input name="assignee" value="${h.assignee ?? ''}" size="14"></label></p>
<p><label>Deadline <input name="deadline" type="date" value="${fmtDate(h.deadline)}"></label></p>
<p><label>Tags <input name="tags" value="${h.tags.replace(/^,|,$/g, '')}" size="18"></label></p><button type="submit">Save</button></form>` : ''}</div>
<div class="panel"><h2>Scan history</h2><table><tr><th>Finished</th><th>Verdict</th><th class="num">Findings</th></tr>
${v.scans.map((s) => html`<tr><td><a href="/hosts/${h.id}?scan=${s.id}">${fmtTime(s.finished)}</a></td><td>${verdictBadge(s.verdict)}</td><td class="num">${s.finding_count}</td></tr>`)}</table></div>
<div class="panel"><h2>Comments</h2>${v.comments.map((c) => html`<p><strong>${c.username}</strong> <span class="muted small">${fmtTime(c.created_at)}</span><br>${c.body}</p>`)}
${analyst ? html`<form method="post" action="/hosts/${h.id}/comments">${csrfField(p)}<textarea name="body" rows="3" cols="30" required></textarea><br><button type="submit">Comment</button></form>` : ''}</div>
<div class="panel"><h2>Audit log</h2><table id="audit"><tr><th>When</th><th>Who</th><th>What</th></tr>
${v.audit.map((a) => html`<tr><td class="small">${fmtTime(a.created_at)}</td><td>${a.username}</td><td>${a.action}: ${a.detail}</td></tr>`)}</table></div>
</div></div>`);
}
