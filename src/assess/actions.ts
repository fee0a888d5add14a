// What to do now, each action following from the evidence and saying which evidence: install the missing
// updates (named), remove the dropped files, restore changed stock files, reset credentials (all of them
// when LSASS was dumped), check the mailboxes reached, rebuild when persistence or hands-on is proven,
// keep the logs.
import type { HostAssessment, InvestigationAnswers, RecommendedAction, Stage } from '../types.js';
import { isoDay } from './evidence-ref.js';

interface FixLike { cve?: unknown; su?: unknown; kbs?: unknown; fixedBuild?: unknown; needsCuUpgrade?: unknown; family?: unknown }

export type ActionInput = Pick<HostAssessment, 'verdict' | 'exposure'> & Omit<InvestigationAnswers, 'actions' | 'coverage'> & { logs: HostAssessment['coverage'] };

export function recommendActions(a: ActionInput): RecommendedAction[] {
  const out: RecommendedAction[] = [];
  const reached = (s: Stage): boolean => a.ladder.some((x) => x.stage === s && x.reached);
  const compromised = reached('persistence') || reached('hands-on') || reached('data-access');

  if (compromised) {
    const why = [reached('persistence') && 'persistence (a web shell or other backdoor)', reached('hands-on') && 'hands-on activity', reached('data-access') && 'data staged or taken'].filter(Boolean).join(', ');
    out.push({ id: 'rebuild', priority: 'now', title: 'Rebuild the server from bare metal', why: `The evidence shows ${why}. Removing what was found cannot prove nothing else was left; install a fresh Windows and Exchange (RecoverServer) and move the mailboxes.`, items: [] });
  }

  const keep = a.logs.families.filter((f) => f.records > 0).map((f) => `${f.family}: ${f.files} files${f.first !== undefined && f.last !== undefined ? `, ${isoDay(f.first)} to ${isoDay(f.last)}` : ''}`);
  if (a.verdict !== 'clean' && a.verdict !== 'vulnerable') {
    out.push({ id: 'keep-logs', priority: 'now', title: 'Keep these logs and files before any clean-up', why: 'They are the only record of what happened; Exchange and IIS delete old logs on a schedule (30 days for Exchange logs by default). Copy them, with the dropped files, to storage the attacker cannot reach.', items: keep });
  }

  const fixes = (Array.isArray((a.exposure as { missingFixes?: unknown } | undefined)?.missingFixes) ? (a.exposure as { missingFixes: FixLike[] }).missingFixes : []);
  if (fixes.length) {
    const bySu = new Map<string, { kbs: Set<string>; cves: Set<string>; build?: string; cu: boolean }>();
    for (const f of fixes) {
      const su = typeof f.su === 'string' ? f.su : 'update';
      const e = bySu.get(su) ?? { kbs: new Set<string>(), cves: new Set<string>(), cu: false };
      if (Array.isArray(f.kbs)) for (const k of f.kbs) if (typeof k === 'string') e.kbs.add(k);
      if (typeof f.cve === 'string') e.cves.add(f.cve);
      if (typeof f.fixedBuild === 'string') e.build = f.fixedBuild;
      if (f.needsCuUpgrade === true) e.cu = true;
      bySu.set(su, e);
    }
    const items = [...bySu.entries()].map(([su, e]) => `${su}${e.kbs.size ? ` (${[...e.kbs].join(', ')})` : ''}${e.cu ? ': needs a newer cumulative update first' : e.build ? ` -> build ${e.build}` : ''}: fixes ${[...e.cves].join(', ')}`);
    out.push({ id: 'install-updates', priority: compromised ? 'soon' : 'now', title: 'Install the missing security updates', why: `The installed build lacks ${fixes.length} security fix${fixes.length === 1 ? '' : 'es'}${compromised ? '; on a rebuilt server, install them before it is reachable from the internet' : ''}. The latest cumulative and security update carries them all.`, items });
  }

  const remove = a.files.filter((f) => !f.modifiedStock && (f.level === 'critical' || f.level === 'high'));
  if (remove.length) {
    out.push({ id: 'remove-files', priority: 'now', title: 'Remove these files (after copying them as evidence)', why: 'Web shells, dumps and archives the attacker left; a web shell stays usable after patching.', items: remove.map((f) => `${f.path}${f.sha256 ? ` (sha256 ${f.sha256})` : ''}`) });
  }
  const restore = a.files.filter((f) => f.modifiedStock);
  if (restore.length) {
    out.push({ id: 'restore-files', priority: 'soon', title: 'Compare and restore these Exchange files', why: 'They carry the names of files Exchange ships but differ from the installed build: either tampered with (a backdoored logon page) or from another update. Compare with a clean copy; do not just delete them, Exchange needs them.', items: restore.map((f) => f.path) });
  }

  const people = a.accounts.filter((x) => !x.machine).map((x) => x.account);
  if (a.credentialsDumped) {
    out.push({ id: 'reset-credentials', priority: 'now', title: 'Reset every credential used on this server', why: 'LSASS memory was dumped: every password hash and Kerberos ticket of every account that ever logged on to this server since its last reboot is in the attacker\'s hands, including service and administrator accounts and the computer account. Reset them all (krbtgt twice, if a domain admin ever logged on here).', items: ['all accounts that logged on to this server', 'service accounts running on it', 'the computer account', ...people] });
  } else if (people.length && compromised) {
    out.push({ id: 'reset-credentials', priority: 'now', title: 'Reset the passwords of the accounts the attacker used', why: 'These accounts made requests in the attack.', items: people });
  } else if (people.length) {
    out.push({ id: 'reset-credentials', priority: 'soon', title: 'Check and reset the accounts seen in the exploit requests', why: 'ProxyNotShell and OWASSRF need valid credentials: these accounts\' passwords are known to the attacker.', items: people });
  }

  if (a.mailboxes.length) {
    out.push({ id: 'check-mailboxes', priority: 'soon', title: 'Check what was read or exported from these mailboxes', why: 'The attack requests named them (exports, OWA/EWS requests, routing headers). Review mailbox audit logs and export requests; tell the owners and, where personal data was reached, the data-protection officer.', items: a.mailboxes.map((m) => `${m.mailbox} (${m.via.join(', ')}; ${m.requests} request${m.requests === 1 ? '' : 's'}${m.bytes !== undefined ? `, ${m.bytes} bytes sent` : ''})`) });
  }

  if (a.attackers.length) {
    out.push({ id: 'block-addresses', priority: 'soon', title: 'Look up these addresses in firewall, VPN and proxy logs', why: 'They attacked this server; the same addresses may have reached other systems. Blocking them helps little (they change quickly) but finding them elsewhere shows how far the attack went.', items: a.attackers.slice(0, 50).map((x) => x.ip) });
  }

  const leads = a.ladder.filter((s) => !s.reached && s.leads > 0 && s.stage !== 'recon');
  if (a.verdict === 'inconclusive' && leads.length) {
    out.push({ id: 'review-leads', priority: 'review', title: 'Have someone review these leads', why: 'They are too weak to decide the verdict alone, but each names a file or log line worth a look.', items: leads.flatMap((s) => s.evidence.map((e) => `${s.stage}: ${e.title} (${e.path}${e.line !== undefined ? `:${e.line}` : ''})`)) });
  }

  const missing = a.logs.notes.filter((n) => /^No .* (logs|event logs) were read/.test(n));
  if (missing.length && a.verdict !== 'clean') {
    out.push({ id: 'collect-more', priority: 'soon', title: 'Collect the evidence that was missing', why: 'Parts of the attack cannot be seen without it.', items: missing });
  }
  return out;
}
