// Who and what: attacker addresses (first/last seen, requests, stages, published-list matches), user
// agents, accounts, mailboxes reached through the exploit, files dropped. Built from the findings that
// decide the verdict, so a benign user who happened to load a flagged page is not called an attacker.
import { isInternalIp } from '../detect/entities.js';
import type { AccountUse, AttackerAddress, DroppedFile, EntityAnswers, Finding, MailboxTouch, Stage, UserAgentUse } from '../types.js';
export type { EntityAnswers } from '../types.js';
import { STAGES } from '../types.js';
import { lineKey, refOf, span, validTime, webFileOf } from './evidence-ref.js';
import { indicatorMatches } from './ioc-addresses.js';
import { lineFields, type LineFields } from './line-fields.js';
import { LEVEL_RANK } from './verdict.js';

export interface EntityInput {
  findings: Finding[];
  decisive: ReadonlySet<Finding>;
  /** log type of each read file, by path */
  logTypes: ReadonlyMap<string, string>;
}

const MAX_LIST = 25;
const addTo = <T>(list: T[], v: T): void => { if (!list.includes(v) && list.length < MAX_LIST) list.push(v); };
const byStage = (s: Stage[]): Stage[] => STAGES.filter((x) => s.includes(x));

/** Addresses a finding holds against the attacker: web-file findings list every visitor, so only a
 * critical file (a shell, not a changed stock page) counts its visitors as attackers. */
export function attackerIpsOf(f: Finding): string[] {
  let v = ipCache.get(f);
  if (!v) {
    v = webFileOf(f) && f.level !== 'critical' ? [] : f.entities.ips.filter((ip) => !isInternalIp(ip));
    ipCache.set(f, v);
  }
  return v;
}
const ipCache = new WeakMap<Finding, string[]>();

export function collectEntities(input: EntityInput): EntityAnswers {
  const { findings, decisive, logTypes } = input;
  const fieldsCache = new Map<Finding, LineFields>();
  const fields = (f: Finding): LineFields => {
    let v = fieldsCache.get(f);
    if (!v) { v = lineFields(logTypes.get(f.evidence.path), f.evidence.excerpt); fieldsCache.set(f, v); }
    return v;
  };
  const attacking = findings.filter((f) => decisive.has(f) && f.stage !== 'recon');

  // addresses
  const ips = new Map<string, AttackerAddress & { keys: Set<string>; cveSet: Set<string> }>();
  for (const f of attacking) {
    const key = lineKey(f);
    for (const ip of attackerIpsOf(f)) {
      let a = ips.get(ip);
      if (!a) { a = { ip, requests: 0, findings: 0, stages: [], cves: [], userAgents: [], accounts: [], indicators: [], keys: new Set(), cveSet: new Set() }; ips.set(ip, a); }
      a.findings++;
      if (key && !a.keys.has(key)) { a.keys.add(key); a.requests++; }
      if (!webFileOf(f)) span(a, f.time);
      if (!a.stages.includes(f.stage)) a.stages.push(f.stage);
      for (const c of f.cves) a.cveSet.add(c);
      const ua = fields(f).userAgent;
      if (ua) addTo(a.userAgents, ua);
      for (const u of f.entities.users) addTo(a.accounts, u);
    }
  }
  const attackers: AttackerAddress[] = [...ips.values()].map(({ keys: _k, cveSet, ...a }) => ({
    ...a, stages: byStage(a.stages), cves: [...cveSet].sort(), indicators: indicatorMatches(a.ip, a.first),
  })).sort((x, y) => (x.first ?? Infinity) - (y.first ?? Infinity) || y.requests - x.requests);
  const recon = new Set(findings.filter((f) => f.stage === 'recon').flatMap((f) => f.entities.ips).filter((ip) => !isInternalIp(ip) && !ips.has(ip)));

  // user agents of the attacking requests, one count per log line
  const uas = new Map<string, UserAgentUse & { keys: Set<string> }>();
  for (const f of attacking) {
    const ua = fields(f).userAgent;
    const key = lineKey(f);
    if (!ua || !key) continue;
    const u = uas.get(ua) ?? { userAgent: ua, requests: 0, ips: [], keys: new Set<string>() };
    if (!u.keys.has(key)) { u.keys.add(key); u.requests++; }
    for (const ip of attackerIpsOf(f)) addTo(u.ips, ip);
    uas.set(ua, u);
  }
  const userAgents = [...uas.values()].map(({ keys: _k, ...u }) => u).sort((a, b) => b.requests - a.requests);

  // accounts
  const acc = new Map<string, AccountUse>();
  for (const f of attacking) {
    for (const user of f.entities.users) {
      const a = acc.get(user) ?? { account: user, machine: user.endsWith('$'), findings: 0, stages: [], ips: [] };
      a.findings++;
      if (!a.stages.includes(f.stage)) a.stages.push(f.stage);
      for (const ip of attackerIpsOf(f)) addTo(a.ips, ip);
      span(a, f.time);
      acc.set(user, a);
    }
  }
  const accounts = [...acc.values()].map((a) => ({ ...a, stages: byStage(a.stages) })).sort((a, b) => Number(a.machine) - Number(b.machine) || b.findings - a.findings);

  return {
    attackers, scanners: recon.size, userAgents, accounts,
    mailboxes: collectMailboxes(findings.filter((f) => f.stage !== 'recon' && (decisive.has(f) || LEVEL_RANK[f.level] >= LEVEL_RANK.medium)), fields),
    files: collectFiles(findings, decisive),
    credentialsDumped: findings.some((f) => (decisive.has(f) || LEVEL_RANK[f.level] >= LEVEL_RANK.high) && CRED_DUMP.test(`${f.rule.id} ${f.rule.title} ${f.entities.files.join(' ')}`)),
  };
}

const CRED_DUMP = /lsass|minidump|\bmdmp\b|comsvcs|procdump|mimikatz|sekurlsa|credential dump/i;

function viaOf(f: Finding, fl: LineFields, mailbox: string): string {
  const x = f.evidence.excerpt;
  if (/MailboxExportRequest/i.test(x)) return 'export';
  if (/ManagementRoleAssignment/i.test(x)) return 'role-assignment';
  if (fl.anchorMailbox?.toLowerCase().includes(mailbox)) return 'anchor-mailbox';
  const stem = (fl.stem ?? x).toLowerCase();
  if (stem.includes('/ews/')) return 'ews';
  if (stem.includes('/powershell')) return 'powershell';
  if (stem.includes('/owa/')) return 'owa';
  return 'url';
}

function collectMailboxes(findings: Finding[], fields: (f: Finding) => LineFields): MailboxTouch[] {
  const m = new Map<string, MailboxTouch & { keys: Set<string> }>();
  for (const f of findings) {
    const fl = fields(f);
    const key = lineKey(f);
    for (const raw of f.entities.mailboxes) {
      const mb = raw.toLowerCase();
      const t = m.get(mb) ?? { mailbox: mb, via: [], requests: 0, ips: [], keys: new Set<string>() };
      addTo(t.via, viaOf(f, fl, mb));
      if (key && !t.keys.has(key)) {
        t.keys.add(key);
        t.requests++;
        if (fl.responseBytes !== undefined) t.bytes = (t.bytes ?? 0) + fl.responseBytes;
      }
      for (const ip of attackerIpsOf(f)) addTo(t.ips, ip);
      span(t, f.time);
      m.set(mb, t);
    }
  }
  return [...m.values()].map(({ keys: _k, ...t }) => t).sort((a, b) => b.requests - a.requests || a.mailbox.localeCompare(b.mailbox));
}

/** A path as logs and collections write it, reduced to compare: lower case, forward slashes, no drive. */
export function fileKey(p: string): string {
  return p.toLowerCase().replace(/\\/g, '/').replace(/^\/\/(?:127\.0\.0\.1|localhost)\/[a-z]\$\//, '').replace(/^[a-z]:\//, '').replace(/^\/+/, '');
}

const sameFile = (a: string, b: string): boolean => a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);

function collectFiles(findings: Finding[], decisive: ReadonlySet<Finding>): DroppedFile[] {
  const out: (DroppedFile & { key: string })[] = [];
  // files on disk found by the web-folder and post-exploitation scans
  for (const f of findings) {
    const w = webFileOf(f);
    if (!w || LEVEL_RANK[f.level] < LEVEL_RANK.medium) continue;
    const d: DroppedFile & { key: string } = { key: fileKey(f.evidence.path), path: f.evidence.path, level: f.level, stage: f.stage, what: f.rule.title };
    if (w.sha256) d.sha256 = w.sha256;
    if (typeof w.size === 'number') d.size = w.size;
    if (validTime(f.time)) d.time = f.time;
    if (w.signals?.some((s) => s.id === 'baseline:modified') && f.level !== 'critical') d.modifiedStock = true;
    const r = w.requests;
    if (r && typeof r.count === 'number') {
      d.requests = r.count;
      d.requestIps = (r.ips ?? []).filter((ip) => !isInternalIp(ip)).slice(0, MAX_LIST);
      if (validTime(r.first)) d.firstRequest = r.first;
      if (validTime(r.last)) d.lastRequest = r.last;
    }
    out.push(d);
  }
  // files named by the log lines that wrote them (OAB generator target, export FilePath)
  for (const f of [...findings].filter((x) => decisive.has(x) && !webFileOf(x) && LEVEL_RANK[x.level] >= LEVEL_RANK.high && x.stage !== 'recon').sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity))) {
    for (const p of f.entities.files) {
      const key = fileKey(p);
      const known = out.find((d) => sameFile(d.key, key));
      if (known) { known.writtenBy ??= refOf(f); continue; }
      if (!['persistence', 'hands-on', 'data-access'].includes(f.stage)) continue;
      const d: DroppedFile & { key: string } = { key, path: p, level: f.level, stage: f.stage, what: `named by: ${f.rule.title}`, writtenBy: refOf(f) };
      if (validTime(f.time)) d.time = f.time;
      out.push(d);
    }
  }
  return out.map(({ key: _k, ...d }) => d).sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || (a.time ?? Infinity) - (b.time ?? Infinity));
}
