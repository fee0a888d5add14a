// The human report: verdict first, then findings grouped by rule (with the exact file:line of each
// example), what the logs cover, and every file that could not be read. Attacker text is neutralised.
import type { Finding, HostAssessment, InvestigationAnswers, Level, ScanResult } from '../types.js';
import type { Exposure } from '../detect/exchange/index.js';
import { terminalSafe } from '../escape.js';

export interface TerminalOptions {
  color: boolean;
  /** list every finding instead of three examples per rule */
  verbose?: boolean;
}

const LEVEL_ORDER: Level[] = ['critical', 'high', 'medium', 'low', 'informational'];
const VERDICT_COLOR: Record<string, string> = { compromised: '1;31', exploited: '1;31', attempted: '1;33', vulnerable: '1;33', clean: '1;32', inconclusive: '1;35' };
const LEVEL_COLOR: Record<Level, string> = { critical: '1;31', high: '31', medium: '33', low: '36', informational: '2' };

const ok = (t: number | undefined): t is number => typeof t === 'number' && Number.isFinite(t) && Math.abs(t) <= 8.64e15;
const day = (t: number | undefined): string => (!ok(t) ? '?' : new Date(t).toISOString().slice(0, 10));
const stamp = (t: number | undefined): string => (!ok(t) ? '(no time)' : new Date(t).toISOString().replace('.000Z', 'Z'));

export function renderTerminal(r: ScanResult, opts: TerminalOptions): string {
  const c = (code: string, s: string): string => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  for (const h of r.hosts) out.push(...hostSection(h, c, opts));
  out.push(c('2', `exhunt ${r.tool.version}: scanned in ${((r.finished - r.started) / 1000).toFixed(1)} s`));
  return out.join('\n') + '\n';
}

function hostSection(h: HostAssessment, c: (code: string, s: string) => string, opts: TerminalOptions): string[] {
  const t = terminalSafe;
  const out: string[] = [];
  out.push(c('1', `Host ${t(h.host)}`));
  out.push(`Verdict: ${c(VERDICT_COLOR[h.verdict] ?? '1', h.verdict.toUpperCase())} (confidence ${h.confidence})`);
  out.push(`  ${t(h.reason)}`);
  if (h.firstEvidence !== undefined) out.push(`  Evidence from ${stamp(h.firstEvidence)} to ${stamp(h.lastEvidence)}`);
  if (h.stages.length) out.push(`  Stages reached: ${h.stages.join(' > ')}`);
  if (!h.answers && h.attackerIps.length) out.push(`  Attacker addresses: ${h.attackerIps.slice(0, 20).map(t).join(', ')}${h.attackerIps.length > 20 ? `, +${h.attackerIps.length - 20} more` : ''}`);
  out.push('');
  if (h.answers) out.push(...answersSection(h.answers, c, opts));
  out.push(...exposureSection(h.exposure as Exposure | undefined, c));
  out.push(...findingsSection(h.findings, c, opts));
  out.push(c('1', 'Log coverage'));
  if (h.coverage.families.length === 0) out.push('  no log records read');
  const width = Math.max(10, ...h.coverage.families.map((f) => f.family.length));
  for (const f of h.coverage.families) {
    out.push(`  ${t(f.family).padEnd(width)}  ${String(f.files).padStart(5)} files  ${f.records.toLocaleString('en-US').padStart(12)} records  ${day(f.first)} .. ${day(f.last)}`);
  }
  const read = h.coverage.files.filter((f) => f.status === 'read').length;
  const skipped = h.coverage.files.filter((f) => f.status === 'skipped');
  const errors = h.coverage.files.filter((f) => f.status === 'error');
  const problems = h.coverage.files.filter((f) => f.status === 'read' && f.reason);
  out.push(`  ${h.coverage.files.length} files: ${read} read, ${skipped.length} not read by any reader, ${errors.length} unreadable`);
  for (const f of [...errors, ...problems].slice(0, 20)) out.push(`  ${c('33', '!')} ${t(f.path)}: ${t(f.reason ?? '')}`);
  if (errors.length + problems.length > 20) out.push(`  ... ${errors.length + problems.length - 20} more (see --format json)`);
  for (const n of h.coverage.notes) out.push(`  ${c('2', 'note:')} ${t(n)}`);
  out.push('');
  return out;
}

function exposureSection(x: Exposure | undefined, c: (code: string, s: string) => string): string[] {
  if (!x) return [];
  const t = terminalSafe;
  const out = [c('1', 'Exposure')];
  if (!x.build) {
    out.push('  the installed build could not be determined from the evidence', '');
    return out;
  }
  const name = [x.productName ?? 'Exchange', x.cu, x.su].filter((p) => p).map((p) => t(p!)).join(' ');
  out.push(`  ${name}, build ${t(x.build)} (confidence ${x.buildConfidence}${x.buildBasis ? `, from ${t(x.buildBasis)}` : ''})${x.outOfSupport ? c('33', ' — out of support') : ''}`);
  for (const f of x.families) {
    if (f.state === 'not-affected') continue;
    const col = f.state === 'vulnerable' ? '31' : f.state === 'fixed' || f.state === 'likely-fixed' ? '32' : '33';
    const win = f.windows[0];
    const span = win ? `  exposed ${win.from} .. ${win.to ?? 'now'}` : '';
    out.push(`  ${c(col, f.state.padEnd(19))} ${t(f.name)}  [${f.cves.join(', ')}]${f.state === 'vulnerable' || f.state === 'partially-mitigated' ? `  fixed by ${t(f.fixedBy)}` : ''}${span}`);
    if (f.mitigation) out.push(`  ${' '.repeat(19)} mitigation: ${t(f.mitigation.by)} (${f.mitigation.effect}: ${t(f.mitigation.why)})`);
  }
  for (const cf of x.conflicts) out.push(`  ${c('33', 'conflict:')} ${t(cf.message)}`);
  out.push('');
  return out;
}

function findingsSection(findings: Finding[], c: (code: string, s: string) => string, opts: TerminalOptions): string[] {
  const t = terminalSafe;
  const out: string[] = [c('1', `Findings (${findings.length})`)];
  if (findings.length === 0) { out.push('  none', ''); return out; }
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const g = groups.get(f.rule.id) ?? [];
    g.push(f);
    groups.set(f.rule.id, g);
  }
  const ordered = [...groups.values()].sort((a, b) => LEVEL_ORDER.indexOf(a[0]!.level) - LEVEL_ORDER.indexOf(b[0]!.level) || (a[0]!.time ?? 0) - (b[0]!.time ?? 0));
  for (const g of ordered) {
    const f0 = g[0]!;
    const times = g.map((f) => f.time).filter((x): x is number => x !== undefined);
    // Findings arrive sorted by time (assess), so the group's span is its first and last time.
    const span = times.length ? `${stamp(times[0])}${times.length > 1 ? ` .. ${stamp(times[times.length - 1])}` : ''}` : '';
    out.push(`  ${c(LEVEL_COLOR[f0.level], f0.level.toUpperCase().padEnd(8))} ${f0.stage.padEnd(15)} ${t(f0.rule.title)}${f0.cves.length ? `  [${f0.cves.join(', ')}]` : ''}`);
    out.push(`           ${g.length} hit${g.length === 1 ? '' : 's'}  ${span}  rule ${t(f0.rule.id)}`);
    for (const f of opts.verbose ? g : g.slice(0, 3)) {
      const where = `${f.evidence.path}${f.evidence.line ? `:${f.evidence.line}` : ''}${f.evidence.record !== undefined ? ` record ${f.evidence.record}` : ''}`;
      const who = f.entities.ips.length ? `  from ${f.entities.ips.join(', ')}` : '';
      out.push(`           ${c('2', '@')} ${t(where)}  ${stamp(f.time)}${t(who)}`);
      out.push(`             ${c('2', t(f.evidence.excerpt.slice(0, 220)))}`);
    }
    if (!opts.verbose && g.length > 3) out.push(`           ... ${g.length - 3} more (--verbose, or --format json)`);
  }
  out.push('');
  return out;
}

/** The investigation answers: since when, the incidents in order, who, what was touched, what to do. */
function answersSection(a: InvestigationAnswers, c: (code: string, s: string) => string, opts: TerminalOptions): string[] {
  const t = terminalSafe;
  const out: string[] = [];
  if (a.firstEvidence) out.push(c('1', 'Since when'), `  ${t(a.firstEvidence.sentence)}`, '');
  if (a.incidents.length) {
    out.push(c('1', `What happened (${a.incidents.length} incident${a.incidents.length === 1 ? '' : 's'})`));
    for (const inc of opts.verbose ? a.incidents : a.incidents.slice(0, 8)) {
      out.push(`  ${c('1', `#${inc.id}`)} ${t(inc.summary)}`);
      const steps = opts.verbose ? inc.steps : inc.steps.slice(0, 8);
      for (const s of steps) out.push(`     ${stamp(s.time)}  ${t(s.text.slice(0, 200))}`);
      if (steps.length < inc.steps.length) out.push(`     ... ${inc.steps.length - steps.length} more steps (--verbose, or --format html)`);
    }
    if (!opts.verbose && a.incidents.length > 8) out.push(`  ... ${a.incidents.length - 8} more incidents`);
    out.push('');
  }
  for (const m of a.milestones.filter((x) => x.hostFirst !== undefined)) out.push(`  ${c(m.beforePatch ? '1;31' : '2', m.beforePatch ? '!' : '-')} ${t(m.sentence)}`);
  if (a.milestones.some((x) => x.hostFirst !== undefined)) out.push('');
  if (a.attackers.length) {
    out.push(c('1', `Attacker addresses (${a.attackers.length}${a.scanners ? `; ${a.scanners} more only probed` : ''})`));
    for (const x of a.attackers.slice(0, opts.verbose ? a.attackers.length : 15)) {
      const ioc = x.indicators.length ? c('33', `  listed: ${x.indicators.map((i) => `${i.list} ${i.published}`).join('; ')} (lead only)`) : '';
      out.push(`  ${t(x.ip).padEnd(16)} ${day(x.first)} .. ${day(x.last)}  ${String(x.requests).padStart(5)} requests  ${x.stages.join(' > ')}${x.userAgents[0] ? `  ${t(x.userAgents[0].slice(0, 60))}` : ''}${t(ioc)}`);
    }
    if (!opts.verbose && a.attackers.length > 15) out.push(`  ... ${a.attackers.length - 15} more`);
    out.push('');
  }
  if (a.mailboxes.length || a.credentialsDumped) {
    out.push(c('1', 'What was touched'));
    if (a.credentialsDumped) out.push(`  ${c('1;31', 'LSASS memory was dumped')}: every credential used on this server is to be treated as stolen`);
    for (const m of a.mailboxes.slice(0, 20)) out.push(`  mailbox ${t(m.mailbox)} (${t(m.via.join(', '))}; ${m.requests} request${m.requests === 1 ? '' : 's'}${m.bytes !== undefined ? `, ${m.bytes} bytes` : ''})`);
    out.push('');
  }
  if (a.actions.length) {
    out.push(c('1', 'What to do'));
    a.actions.forEach((x, i) => {
      out.push(`  ${i + 1}. ${c(x.priority === 'now' ? '1;31' : x.priority === 'soon' ? '33' : '2', `[${x.priority}]`)} ${t(x.title)}`);
      for (const item of x.items.slice(0, opts.verbose ? x.items.length : 6)) out.push(`       ${t(item)}`);
      if (!opts.verbose && x.items.length > 6) out.push(`       ... ${x.items.length - 6} more`);
    });
    out.push('');
  }
  return out;
}
