// Output of `exhunt probe` as text, JSON or CSV. Everything a server sent is untrusted: control
// characters are stripped for the terminal, CSV cells are quoted and defused against formula injection.
import { csvCell, terminalSafe } from '../../escape.js';
import type { ProbeResult } from './probe-run.js';

const FAMILIES = ['proxylogon', 'proxyshell', 'proxytoken', 'cve-2021-42321', 'proxynotshell', 'owassrf'];

/**
 * A streaming writer per format: head() once, row(r) per result in completion order, tail() at the end.
 * JSON is one object { schemaVersion, kind, tool, started, results: [...], finished }.
 */
export interface ProbeWriter { head(): string; row(r: ProbeResult, first: boolean): string; tail(finished: number): string }

export function probeWriter(format: 'text' | 'json' | 'csv', started: number, version: string): ProbeWriter {
  if (format === 'json') {
    return {
      head: () => `{"schemaVersion":"1.0","kind":"probe","tool":{"name":"exhunt","version":${JSON.stringify(version)}},"started":"${new Date(started).toISOString()}","results":[\n`,
      row: (r, first) => (first ? '' : ',\n') + JSON.stringify(r),
      tail: (finished) => `\n],"finished":"${new Date(finished).toISOString()}"}\n`,
    };
  }
  if (format === 'csv') return { head: () => CSV_HEAD.join(',') + '\r\n', row: (r) => csvRow(r) + '\r\n', tail: () => '' };
  return { head: () => '', row: (r) => probeText([r]), tail: () => '' };
}

const CSV_HEAD = ['target', 'url', 'status', 'build', 'precision', 'product', 'cu', 'su', 'out_of_support', 'missing_cves', ...FAMILIES, 'ssrf', 'error'];
function csvRow(r: ProbeResult): string {
  return [
    r.target, r.url, r.status, r.build, r.buildPrecision, r.product, r.cu, r.su, r.outOfSupport,
    r.missing.filter((m) => m.status !== 'likely-fixed').length, ...FAMILIES.map((f) => r.families[f] ?? ''), r.ssrf?.verdict, r.error,
  ].map(csvCell).join(',');
}

export function probeJson(results: ProbeResult[], started: number, finished: number, version: string): string {
  const w = probeWriter('json', started, version);
  return w.head() + results.map((r, i) => w.row(r, i === 0)).join('') + w.tail(finished);
}

export function probeCsv(results: ProbeResult[]): string {
  return [CSV_HEAD.join(','), ...results.map(csvRow)].join('\r\n') + '\r\n';
}

export function probeText(results: ProbeResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.status === 'unreachable') { lines.push(`${terminalSafe(r.target)}  unreachable: ${terminalSafe(r.error ?? '')}`); continue; }
    if (r.status === 'no-build') { lines.push(`${terminalSafe(r.target)}  reachable, no Exchange build found`); continue; }
    const vuln = FAMILIES.filter((f) => r.families[f] === 'vulnerable');
    const unknown = FAMILIES.filter((f) => r.families[f] === 'unknown');
    const crit = r.missing.filter((m) => m.status === 'missing').length;
    lines.push(`${terminalSafe(r.target)}  ${terminalSafe(r.build ?? '')} ${terminalSafe(r.product ?? '')} ${r.cu ?? ''}${r.su ? ' ' + r.su : ''}${r.outOfSupport ? ' (out of support)' : ''}`);
    lines.push(`    ${vuln.length ? 'VULNERABLE: ' + vuln.join(', ') : 'no exploit family open by build'}${unknown.length ? `; SU level not visible for: ${unknown.join(', ')}` : ''}; ${crit} CVE fixes missing`);
    if (r.ssrf) lines.push(`    SSRF check: ${r.ssrf.verdict} (${terminalSafe(r.ssrf.detail)})`);
    if (r.tls && !r.tls.authorized) lines.push(`    TLS: certificate not trusted (${terminalSafe(r.tls.error ?? '')})`);
  }
  return lines.join('\n') + '\n';
}

/** A host counts as vulnerable when an exploit family is open by its build or the SSRF check says so. */
export function isVulnerable(r: ProbeResult): boolean {
  return Object.values(r.families).includes('vulnerable') || r.ssrf?.verdict === 'vulnerable';
}
