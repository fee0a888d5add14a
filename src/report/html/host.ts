// One host as an HTML fragment: verdict and the answers first, then the ladder, the chart, the incident
// story, milestones, attackers, mailboxes, files, actions, exposure and coverage. A pure function of the
// assessment (the fleet dashboard can reuse it); every value from the evidence goes through h``.
import { investigate } from '../../assess/investigate.js';
import type { HostAssessment, InvestigationAnswers, EvidenceRef, RecommendedAction } from '../../types.js';
import { activityChart, milestoneStrips } from './chart.js';
import { fmtDay, fmtTime, h, join, sourceLink, type Safe } from './html.js';

export const hostAnchor = (i: number): string => `host-${i}`;

function where(e: { path: string; line?: number; record?: number }): string {
  return `${e.path}${e.line !== undefined ? `:${e.line}` : ''}${e.record !== undefined ? ` record ${e.record}` : ''}`;
}

function evidenceItem(e: EvidenceRef): Safe {
  return h`<li><span class="lvl l-${e.level}">${e.level}</span> ${e.title} <span class="muted">${fmtTime(e.time)} · ${where(e)}</span><code class="ex">${e.excerpt}</code></li>`;
}

function list(xs: string[], max = 5): string {
  return xs.length ? xs.slice(0, max).join(', ') + (xs.length > max ? ` (+${xs.length - max})` : '') : '—';
}

function answersGrid(a: InvestigationAnswers, host: HostAssessment): Safe {
  const since = a.firstEvidence ? a.firstEvidence.sentence : host.verdict === 'clean' || host.verdict === 'vulnerable' ? 'No evidence of attack in the logs and files read.' : 'No timed evidence of attack.';
  const ioc = a.attackers.filter((x) => x.indicators.length);
  const who = a.attackers.length
    ? `${a.attackers.length} attacker address${a.attackers.length === 1 ? '' : 'es'}: ${list(a.attackers.map((x) => x.ip))}.${ioc.length ? ` ${ioc.length} appear in published indicator lists (a lead only: such lists age fast).` : ' None appears in the published indicator lists exhunt carries.'}${a.scanners ? ` ${a.scanners} more only probed.` : ''}`
    : a.scanners ? `Only probing, from ${a.scanners} address${a.scanners === 1 ? '' : 'es'}.` : 'No attacker address in the evidence.';
  const touched: string[] = [];
  if (a.credentialsDumped) touched.push('LSASS memory was dumped: every credential used on this server must be treated as stolen.');
  if (a.mailboxes.length) touched.push(`${a.mailboxes.length} mailbox${a.mailboxes.length === 1 ? '' : 'es'} named in attack requests: ${list(a.mailboxes.map((m) => m.mailbox))}.`);
  const dropped = a.files.filter((f) => !f.modifiedStock && (f.level === 'critical' || f.level === 'high'));
  if (dropped.length) touched.push(`${dropped.length} file${dropped.length === 1 ? '' : 's'} dropped: ${list(dropped.map((f) => f.path.split('/').pop() ?? f.path))}.`);
  if (!touched.length) touched.push('No sign of mailboxes read, data staged or credentials dumped in the evidence read.');
  const now = a.actions.filter((x) => x.priority === 'now').map((x) => x.title);
  return h`<dl class="answers">
<div><dt>Since when?</dt><dd>${since}</dd></div>
<div><dt>By whom?</dt><dd>${who}</dd></div>
<div><dt>What was touched?</dt><dd>${join(touched.map((t) => h`<span class="line">${t}</span>`))}</dd></div>
<div><dt>What now?</dt><dd>${now.length ? join(now.map((t) => h`<span class="line">${t}</span>`)) : a.actions.length ? a.actions[0]!.title : 'Nothing urgent; keep the server updated.'}</dd></div>
</dl>`;
}

function ladder(a: InvestigationAnswers): Safe {
  return h`<ol class="ladder">${a.ladder.map((s) => h`<li class="${s.reached ? 'reached' : s.leads ? 'lead' : 'no'}"><details${s.reached ? h` open` : h``}><summary><b>${s.stage}</b> ${s.reached ? h`<span class="tag bad">reached</span>` : s.leads ? h`<span class="tag warn">leads only</span>` : h`<span class="tag">not seen</span>`} <span class="muted">${s.decisive} decisive, ${s.leads} lead${s.leads === 1 ? '' : 's'}${s.first !== undefined ? ` · ${fmtTime(s.first)} – ${fmtTime(s.last)}` : ''}</span></summary>${s.evidence.length ? h`<ul class="ev">${s.evidence.map(evidenceItem)}</ul>` : h``}</details></li>`)}</ol>`;
}

function incidents(a: InvestigationAnswers): Safe {
  if (!a.incidents.length) return h`<p class="muted">No attack activity to tell.</p>`;
  return join(a.incidents.map((inc) => h`<div class="incident"><h4>Incident ${inc.id}</h4><p>${inc.summary}</p><ol class="story">${inc.steps.map((s) => h`<li><span class="when">${fmtTime(s.time)}</span> <span class="st s-${s.stage}">${s.stage}</span> ${s.text}${s.cves.length ? h` <span class="muted">[${s.cves.join(', ')}]</span>` : h``}<span class="muted src"> ${where(s.evidence)}</span></li>`)}</ol></div>`));
}

function milestones(a: InvestigationAnswers): Safe {
  if (!a.milestones.length) return h`<p class="muted">No exploit family with evidence or a missing fix.</p>`;
  return h`${milestoneStrips(a.milestones)}<table><thead><tr><th>Family</th><th>First here</th><th>Public milestones</th><th>What it means</th></tr></thead><tbody>${a.milestones.map((m) => h`<tr class="${m.beforePatch ? 'flag' : ''}"><td>${m.name}<br><span class="muted">${m.cves.join(', ')}</span></td><td>${fmtDay(m.hostFirst)}</td><td><ul class="plain">${m.milestones.map((x) => h`<li>${x.date}${x.uncertain ? '~' : ''} ${x.kind} <span class="muted">${join(x.sources.slice(0, 1).map(sourceLink))}</span></li>`)}</ul></td><td>${m.sentence}</td></tr>`)}</tbody></table>`;
}

function attackers(a: InvestigationAnswers): Safe {
  if (!a.attackers.length) return h`<p class="muted">None.</p>`;
  return h`<table><thead><tr><th>Address</th><th>First seen</th><th>Last seen</th><th>Requests</th><th>Steps</th><th>User agents</th><th>Accounts</th><th>Published lists</th></tr></thead><tbody>${a.attackers.map((x) => h`<tr><td><code>${x.ip}</code></td><td>${fmtTime(x.first)}</td><td>${fmtTime(x.last)}</td><td class="num">${x.requests}</td><td>${x.stages.join(' > ')}</td><td>${list(x.userAgents, 3)}</td><td>${list(x.accounts, 3)}</td><td>${x.indicators.length ? join(x.indicators.map((m) => h`<span class="line">${m.list} (${m.published}${m.ageDays !== undefined ? `, seen ${m.ageDays} days after publication` : ''}; score ${m.score}) ${sourceLink(m.source)}</span>`)) : '—'}</td></tr>`)}</tbody></table>`;
}

function people(a: InvestigationAnswers): Safe {
  const ua = a.userAgents.length ? h`<h4>User agents</h4><table><thead><tr><th>User agent</th><th>Requests</th><th>Addresses</th></tr></thead><tbody>${a.userAgents.slice(0, 50).map((u) => h`<tr><td><code>${u.userAgent}</code></td><td class="num">${u.requests}</td><td>${list(u.ips)}</td></tr>`)}</tbody></table>` : h``;
  const acc = a.accounts.length ? h`<h4>Accounts used</h4><table><thead><tr><th>Account</th><th>Findings</th><th>Steps</th><th>Addresses</th><th>When</th></tr></thead><tbody>${a.accounts.map((u) => h`<tr><td><code>${u.account}</code>${u.machine ? h` <span class="muted">(the server's own computer account)</span>` : h``}</td><td class="num">${u.findings}</td><td>${u.stages.join(' > ')}</td><td>${list(u.ips)}</td><td>${fmtTime(u.first)} – ${fmtTime(u.last)}</td></tr>`)}</tbody></table>` : h``;
  return h`${ua}${acc}`;
}

function mailboxes(a: InvestigationAnswers): Safe {
  if (!a.mailboxes.length) return h`<p class="muted">No mailbox named in the attack requests.</p>`;
  return h`<table><thead><tr><th>Mailbox</th><th>How</th><th>Requests</th><th>Bytes sent</th><th>Addresses</th><th>When</th></tr></thead><tbody>${a.mailboxes.map((m) => h`<tr><td><code>${m.mailbox}</code></td><td>${m.via.join(', ')}</td><td class="num">${m.requests}</td><td class="num">${m.bytes ?? 'not logged'}</td><td>${list(m.ips)}</td><td>${fmtTime(m.first)} – ${fmtTime(m.last)}</td></tr>`)}</tbody></table>`;
}

function files(a: InvestigationAnswers): Safe {
  if (!a.files.length) return h`<p class="muted">No dropped or changed file found.</p>`;
  return h`<table><thead><tr><th>File</th><th>Level</th><th>What</th><th>Time</th><th>Written by</th><th>Requests</th></tr></thead><tbody>${a.files.map((f) => h`<tr><td><code>${f.path}</code>${f.sha256 ? h`<br><span class="muted hash">sha256 ${f.sha256}</span>` : h``}${f.modifiedStock ? h`<br><span class="tag warn">changed stock file</span>` : h``}</td><td><span class="lvl l-${f.level}">${f.level}</span></td><td>${f.what}</td><td>${fmtTime(f.time)}</td><td>${f.writtenBy ? h`${f.writtenBy.title}<br><span class="muted">${where(f.writtenBy)}</span>` : '—'}</td><td>${f.requests !== undefined ? h`${f.requests} from ${list(f.requestIps ?? [])}<br><span class="muted">${fmtTime(f.firstRequest)} – ${fmtTime(f.lastRequest)}</span>` : '—'}</td></tr>`)}</tbody></table>`;
}

function actions(xs: RecommendedAction[]): Safe {
  if (!xs.length) return h`<p class="muted">Nothing to do beyond keeping the server updated.</p>`;
  return h`<ol class="actions">${xs.map((x) => h`<li class="p-${x.priority}"><b>${x.title}</b> <span class="tag ${x.priority === 'now' ? 'bad' : x.priority === 'soon' ? 'warn' : ''}">${x.priority}</span><p>${x.why}</p>${x.items.length ? h`<ul>${x.items.slice(0, 100).map((i) => h`<li><code>${i}</code></li>`)}${x.items.length > 100 ? h`<li>… ${x.items.length - 100} more</li>` : h``}</ul>` : h``}</li>`)}</ol>`;
}

function exposure(host: HostAssessment): Safe {
  const x = host.exposure as { build?: unknown; productName?: unknown; families?: unknown } | undefined;
  if (!x) return h``;
  const fams = Array.isArray(x.families) ? (x.families as { name?: unknown; state?: unknown; fixedBy?: unknown }[]) : [];
  return h`<section><h3>Exposure</h3><p>${typeof x.productName === 'string' ? x.productName : 'Exchange'} build ${typeof x.build === 'string' ? x.build : 'unknown'}</p><ul class="plain">${fams.filter((f) => f.state !== 'not-affected').map((f) => h`<li><span class="tag ${f.state === 'vulnerable' ? 'bad' : f.state === 'fixed' ? 'ok' : 'warn'}">${String(f.state ?? '')}</span> ${String(f.name ?? '')}${f.state === 'vulnerable' && typeof f.fixedBy === 'string' ? ` — fixed by ${f.fixedBy}` : ''}</li>`)}</ul></section>`;
}

function coverage(host: HostAssessment, a: InvestigationAnswers): Safe {
  const read = host.coverage.files.filter((f) => f.status === 'read').length;
  const skipped = host.coverage.files.filter((f) => f.status === 'skipped').length;
  const errors = host.coverage.files.filter((f) => f.status === 'error');
  return h`<section><h3>What the evidence covers</h3><p>${host.coverage.files.length} files: ${read} read, ${skipped} not read by any reader, ${errors.length} unreadable.</p><ul class="plain">${a.coverage.map((s) => h`<li>${s}</li>`)}</ul>${errors.length ? h`<details><summary>Unreadable files</summary><ul>${errors.slice(0, 200).map((e) => h`<li><code>${e.path}</code>: ${e.reason ?? ''}</li>`)}</ul></details>` : h``}</section>`;
}

/** The fragment for one host; `index` names its anchor and the findings filter. */
export function renderHostHtml(host: HostAssessment, index = 0): string {
  const a = host.answers ?? investigate(host);
  return h`<section class="host" id="${hostAnchor(index)}">
<h2>${host.host} <span class="verdict v-${host.verdict}">${host.verdict}</span> <span class="muted">confidence ${host.confidence}</span></h2>
<p class="reason">${host.reason}</p>
${answersGrid(a, host)}
<section><h3>How far the attacker got</h3>${ladder(a)}</section>
<section><h3>Timeline</h3>${activityChart(host)}</section>
<section><h3>What happened, in order</h3>${incidents(a)}</section>
<section><h3>Public milestones beside this server's evidence</h3>${milestones(a)}</section>
<section><h3>What to do</h3>${actions(a.actions)}</section>
<section><h3>Attacker addresses</h3>${attackers(a)}${people(a)}</section>
<section><h3>Mailboxes</h3>${mailboxes(a)}</section>
<section><h3>Files</h3>${files(a)}</section>
${exposure(host)}
${coverage(host, a)}
<p><a class="show-findings" href="#findings" data-host="${index}">All ${host.findings.length} findings of ${host.host}</a></p>
</section>`.value;
}
