import { html, fmtTime, qs } from './html.js';
import { layout, verdictBadge } from './layout.js';
import { dailyChart } from './chart.js';
import type { Overview } from '../store/hosts.js';
import type { Principal } from '../store/users.js';

const VERDICTS = ['compromised', 'exploited', 'attempted', 'vulnerable', 'inconclusive', 'clean'];

export function overviewPage(p: Principal, o: Overview, now: number): string {
  const card = (n: number, label: string, href: string) => html`<a class="card" href="${href}"><div class="n">${n}</div><div class="l">${label}</div></a>`;
  return layout('Overview', p, '/', html`<h1>Fleet overview</h1>
<div class="cards">${card(o.total, 'hosts', '/hosts')}${VERDICTS.map((v) => card(o.byVerdict[v] ?? 0, v, `/hosts${qs({ verdict: v })}`))}</div>
<div class="cards">${['exposed', 'patched', 'unknown'].map((e) => card(o.byExposure[e] ?? 0, `exposure: ${e}`, `/hosts${qs({ exposure: e })}`))}
${card(o.overdueCount, 'past deadline', '/hosts?overdue=1')}</div>
<div class="panel"><h2>Scans per day, last 30 days</h2>${dailyChart(o.daily, 30, now)}</div>
<div class="panel"><h2>Past deadline (${o.overdueCount})</h2>
${o.overdue.length === 0 ? html`<p class="muted">No host is past its deadline.</p>` : html`<table><tr><th>Host</th><th>Tenant</th><th>Verdict</th><th>State</th><th>Assignee</th><th>Deadline</th></tr>
${o.overdue.map((h) => html`<tr><td><a href="/hosts/${h.id}">${h.name}</a></td><td>${h.tenant}</td><td>${verdictBadge(h.verdict)}</td><td><span class="state">${h.state}</span></td><td>${h.assignee ?? ''}</td><td class="overdue">${fmtTime(h.deadline)}</td></tr>`)}</table>`}</div>`);
}
