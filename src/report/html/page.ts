// The self-contained HTML report: one file, no network requests, style and script inline and allowed by
// their hashes in a strict Content-Security-Policy (no other script can run, no style attribute counts).
// Verdict and answers first; with several hosts an overview table leads; every finding is in the
// explorer at the end (data in a JSON block, 100 rows a page).
import { createHash } from 'node:crypto';
import type { Finding, HostAssessment, ScanResult } from '../../types.js';
import { LEVELS, STAGES } from '../../types.js';
import { scriptJson } from '../../escape.js';
import { fmtDay, fmtTime, h, join, raw, type Safe } from './html.js';
import { hostAnchor, renderHostHtml } from './host.js';
import { CSS } from './style.js';
import { SCRIPT } from './script.js';

const EXCERPT_MAX = 600;
const FIRST_PAGE = 100;
const VERDICTS = ['compromised', 'exploited', 'attempted', 'vulnerable', 'inconclusive', 'clean'];

const sha = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
export const CSP = `default-src 'none'; script-src ${sha(SCRIPT)}; style-src ${sha(CSS)}; img-src data:; base-uri 'none'; form-action 'none'`;

type Row = [number, number | null, number, number, number, number, number | null, number | null, string, string];

function findingRows(hosts: HostAssessment[]): { rows: Row[]; titles: string[]; paths: string[] } {
  const titles: string[] = [], paths: string[] = [];
  const ti = new Map<string, number>(), pi = new Map<string, number>();
  const idx = (m: Map<string, number>, list: string[], v: string): number => {
    let i = m.get(v);
    if (i === undefined) { i = list.length; list.push(v); m.set(v, i); }
    return i;
  };
  const rows: Row[] = [];
  hosts.forEach((host, hi) => {
    for (const f of host.findings) {
      rows.push([hi, typeof f.time === 'number' && Number.isFinite(f.time) ? f.time : null, Math.max(0, LEVELS.indexOf(f.level)), Math.max(0, STAGES.indexOf(f.stage)),
        idx(ti, titles, f.rule.title), idx(pi, paths, f.evidence.path), f.evidence.line ?? null, f.evidence.record ?? null, f.entities.ips.join(', '), f.evidence.excerpt.slice(0, EXCERPT_MAX)]);
    }
  });
  return { rows, titles, paths };
}

function staticRow(multi: boolean, host: string, f: Finding): Safe {
  const loc = `${f.evidence.path}${f.evidence.line !== undefined ? `:${f.evidence.line}` : ''}${f.evidence.record !== undefined ? ` record ${f.evidence.record}` : ''}`;
  return h`<tr>${multi ? h`<td>${host}</td>` : h``}<td class="when">${f.time === undefined ? '(no time)' : fmtTime(f.time)}</td><td class="lvl l-${f.level}">${f.level}</td><td>${f.stage}</td><td>${f.rule.title}</td><td>${loc}</td><td>${f.entities.ips.join(', ')}</td><td class="ex-cell"><code>${f.evidence.excerpt.slice(0, EXCERPT_MAX)}</code></td></tr>`;
}

function overview(hosts: HostAssessment[]): Safe {
  return h`<section id="overview-section"><h2>Overview: ${hosts.length} hosts</h2>
<p>${VERDICTS.map((v) => { const n = hosts.filter((x) => x.verdict === v).length; return n ? h`<span class="verdict v-${v}">${v}: ${n}</span> ` : h``; })}</p>
<div class="controls"><label>Verdict <select id="o-verdict"><option value="">any</option>${VERDICTS.map((v) => h`<option>${v}</option>`)}</select></label><label>Host <input id="o-q" type="search" placeholder="name contains"></label></div>
<table id="overview"><thead><tr><th>Host</th><th>Verdict</th><th>Confidence</th><th>First evidence</th><th>Stages</th><th>Attackers</th><th>Findings</th><th>First action</th></tr></thead><tbody>
${hosts.map((x, i) => h`<tr data-verdict="${x.verdict}" data-name="${x.host.toLowerCase()}"><td><a href="#${hostAnchor(i)}">${x.host}</a></td><td><span class="verdict v-${x.verdict}">${x.verdict}</span></td><td>${x.confidence}</td><td>${fmtDay(x.answers?.firstEvidence?.time ?? x.firstEvidence)}</td><td>${x.stages.join(' > ')}</td><td class="num">${x.answers?.attackers.length ?? x.attackerIps.length}</td><td class="num">${x.findings.length}</td><td>${x.answers?.actions[0]?.title ?? ''}</td></tr>`)}
</tbody></table></section>`;
}

/** The whole report page for one or more hosts. */
export function renderHtml(r: ScanResult): string {
  const hosts = r.hosts;
  const multi = hosts.length > 1;
  const { rows, titles, paths } = findingRows(hosts);
  const data = scriptJson({ hosts: hosts.map((x) => x.host), levels: LEVELS, stages: STAGES, titles, paths, f: rows });
  const first: Safe[] = [];
  outer: for (const host of hosts) for (const f of host.findings) { if (first.length >= FIRST_PAGE) break outer; first.push(staticRow(multi, host.host, f)); }
  const title = multi ? `${hosts.length} hosts` : hosts[0]?.host ?? 'no host';
  const sections = hosts.map((x, i) => {
    const frag = raw(renderHostHtml(x, i));
    return multi ? h`<details class="hostwrap"${i === 0 && hosts.length <= 20 ? h` open` : h``}><summary>${x.host} <span class="verdict v-${x.verdict}">${x.verdict}</span></summary>${frag}</details>` : frag;
  });
  const page = h`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>exhunt report: ${title}</title>
<style>${raw(CSS)}</style></head>
<body>
<header><h1>exhunt report: ${title}</h1><p class="muted">exhunt ${r.tool.version} · scanned ${fmtTime(r.started)} · ${rows.length} findings. Every value taken from the evidence is shown as text; nothing in this file loads anything from the network.</p></header>
${multi ? overview(hosts) : h``}
${sections}
<section id="findings"><h2>Every finding</h2>
<div class="controls">${multi ? h`<label>Host <select id="f-host"><option value="">all</option>${hosts.map((x, i) => h`<option value="${i}">${x.host}</option>`)}</select></label>` : h``}
<label>Level at least <select id="f-level"><option value="">any</option>${LEVELS.map((l, i) => h`<option value="${i}">${l}</option>`)}</select></label>
<label>Stage <select id="f-stage"><option value="">any</option>${STAGES.map((s, i) => h`<option value="${i}">${s}</option>`)}</select></label>
<label>Text <input id="f-q" type="search" placeholder="rule, file, address, log text"></label></div>
<p id="f-info" class="muted">${rows.length} findings${rows.length > FIRST_PAGE ? ` (the first ${FIRST_PAGE} shown; the JSON and CSV reports hold all)` : ''}</p>
<table id="f-table"><thead><tr>${multi ? h`<th>Host</th>` : h``}<th>Time</th><th>Level</th><th>Stage</th><th>Rule</th><th>Where</th><th>Addresses</th><th>Evidence</th></tr></thead><tbody id="f-body">${first}</tbody></table>
<div class="pager"><button id="f-prev" type="button">Previous</button> <button id="f-next" type="button">Next</button></div>
</section>
<script type="application/json" id="exhunt-data">${raw(data)}</script>
<script>${raw(SCRIPT)}</script>
</body></html>
`;
  return page.value;
}

export { renderHostHtml } from './host.js';
