// Exposure of one host: product, CU, SU, missing fixes, mitigations and, per exploit family, the
// window of exposure (from the fix's release, or the first day the logs show the vulnerable build, to
// the day a fixed build appears). Produces a JSON-serialisable object for HostAssessment.exposure and
// Findings for the 'vulnerable' verdict.
import type { Evidence, Finding, Level } from '../../types.js';
import { emptyEntities } from '../../types.js';
import { compareBuild, parseBuild, sameCu, type Build } from './build-parse.js';
import { loadKnowledge, type Knowledge } from './build-data.js';
import { hasSecurityUpdate, missingFixes, productOf, type MissingFix } from './knowledge.js';
import type { InstalledBuild } from './installed-build.js';
import { mitigationEffect, type Effect, type MitigationResult } from './mitigations.js';
import { loadMilestones, milestone, type Milestones } from './milestones.js';
import { buildOnDay, type TimelineSegment } from './build-timeline.js';

export type FamilyState = 'fixed' | 'likely-fixed' | 'vulnerable' | 'partially-mitigated' | 'mitigated' | 'not-affected' | 'unknown';

export interface ExposureWindow {
  from: string;
  fromBasis: 'fix-release' | 'first-log-day';
  to?: string;
  toBasis: 'fixed-build-in-logs' | 'update-installed-date' | 'open' | 'unknown';
  evidence?: Evidence;
  note?: string;
}

export interface FamilyExposure {
  family: string;
  name: string;
  cves: string[];
  fixedBy: string;
  fixReleased?: string;
  state: FamilyState;
  missing: string[];
  mitigation?: { by: string; effect: Effect; why: string };
  windows: ExposureWindow[];
  /** the build the logs show on the day of a public milestone */
  atMilestones: { kind: string; date: string; state: 'vulnerable' | 'fixed' | 'no-logs' }[];
  note?: string;
}

// a type alias (not an interface) so it is assignable to HostAssessment.exposure (Record<string, unknown>)
export type Exposure = {
  schema: 'exhunt.exposure/1';
  host: string;
  product?: string;
  productName?: string;
  build?: string;
  cu?: string;
  su?: string;
  buildConfidence: InstalledBuild['confidence'];
  buildBasis?: string;
  outOfSupport?: boolean;
  endOfSupport?: string | null;
  vulnerable: boolean;
  buildEvidence: InstalledBuild['candidates'];
  conflicts: InstalledBuild['conflicts'];
  installedUpdates: { kb: string; installedDate?: string; packageName: string }[];
  missingFixes: MissingFix[];
  families: FamilyExposure[];
  mitigations: MitigationResult['mitigations'];
  extendedProtection: { state: string; wrong: string[] };
  timeline: { segments: TimelineSegment[]; days: { day: string; builds: string[] }[]; backendBuilds: string[] };
  notes: string[];
};

export interface ExposureInput {
  host: string;
  installed: InstalledBuild;
  mitigations?: MitigationResult;
}

const LEVEL: Record<string, Level> = {
  proxylogon: 'critical', proxyshell: 'critical', proxynotshell: 'high', owassrf: 'high',
  'cve-2021-42321': 'high', 'cve-2024-21410': 'high', 'cve-2020-0688': 'high', proxytoken: 'medium',
};
const LOWER: Record<Level, Level> = { critical: 'high', high: 'medium', medium: 'low', low: 'informational', informational: 'informational' };

function familyMissing(familyCves: string[], all: MissingFix[]): MissingFix[] {
  return all.filter((m) => familyCves.includes(m.cve));
}

function isVulnerableBuild(b: Build, fixedBy: string, k: Knowledge): boolean | undefined {
  const has = hasSecurityUpdate(b, fixedBy, k);
  return has === undefined ? undefined : !has;
}

function windowsFor(fixDate: string, fixedBy: string, segments: TimelineSegment[], installed: InstalledBuild, vulnerableNow: boolean, k: Knowledge): ExposureWindow[] {
  const out: ExposureWindow[] = [];
  let open: ExposureWindow | undefined;
  for (const s of segments) {
    if (s.to < fixDate) continue; // before the fix existed: not yet an exposure window by this definition
    const b = parseBuild(s.build)!;
    const vuln = isVulnerableBuild(b, fixedBy, k);
    if (vuln && !open) {
      open = s.from <= fixDate
        ? { from: fixDate, fromBasis: 'fix-release', toBasis: 'open', evidence: s.evidence }
        : { from: s.from, fromBasis: 'first-log-day', toBasis: 'open', evidence: s.evidence, note: 'logs begin after the fix was released; exposure may have started earlier' };
      out.push(open);
    } else if (vuln === false && open) {
      open.to = s.from;
      open.toBasis = 'fixed-build-in-logs';
      open = undefined;
    }
  }
  const installedDate = fixInstallDate(installed, fixedBy, k);
  if (out.length === 0) {
    // no log segment at or after the fix date: decide from the installed build alone
    if (vulnerableNow) out.push({ from: fixDate, fromBasis: 'fix-release', toBasis: 'open' });
    else out.push({ from: fixDate, fromBasis: 'fix-release', ...(installedDate ? { to: installedDate, toBasis: 'update-installed-date' as const } : { toBasis: 'unknown' as const }) });
  } else if (open && !vulnerableNow) {
    // logs never showed the fixed build (they may record the CU revision only) but the host has it now
    if (installedDate) { open.to = installedDate; open.toBasis = 'update-installed-date'; }
    else { open.toBasis = 'unknown'; open.note = 'the installed build is fixed, but the logs never show the change (they may record only the CU revision)'; }
  }
  return out;
}

/** Earliest recorded install date of an update that carries SU `fixedBy` for the installed CU. */
function fixInstallDate(installed: InstalledBuild, fixedBy: string, k: Knowledge): string | undefined {
  const cur = installed.build ? parseBuild(installed.build) : undefined;
  if (!cur) return undefined;
  const fixing = new Set(k.releases.filter((r) => r.kb && sameCu(r.parsed, cur) && hasSecurityUpdate(r.parsed, fixedBy, k) === true).map((r) => r.kb!));
  const dates = installed.updates.filter((u) => fixing.has(u.kb) && u.installedDate).map((u) => u.installedDate!).sort();
  return dates[0];
}

export function assessExposure(input: ExposureInput, k: Knowledge = loadKnowledge(), ms: Milestones = loadMilestones()): { exposure: Exposure; findings: Finding[] } {
  const { installed, host } = input;
  const notes: string[] = [];
  const b = installed.build ? parseBuild(installed.build) : undefined;
  const kbs = installed.updates.map((u) => u.kb);
  const missing = b ? missingFixes(b, { installedKbs: kbs }, k) : [];
  const id = installed.identity;
  const segments = installed.timeline.segments;
  const days = installed.timeline.days;
  const families: FamilyExposure[] = [];
  if (!b) notes.push('no build evidence: exposure cannot be decided from the build');
  if (installed.conflicts.length) notes.push(`${installed.conflicts.length} conflicting build evidence item(s); see conflicts`);
  if (segments.length) notes.push('builds seen in logs are a lower bound: Exchange logs may record the CU revision even after an SU');
  for (const f of k.data.families) {
    const fe: FamilyExposure = { family: f.id, name: f.name, cves: f.cves, fixedBy: f.fixedBy, state: 'unknown', missing: [], windows: [], atMilestones: [] };
    if (f.note) fe.note = f.note;
    if (f.fixedBy === 'extended-protection') {
      families.push(epFamily(fe, b, input.mitigations, k));
      continue;
    }
    const su = k.suById.get(f.fixedBy);
    if (!b || !su) { families.push(fe); continue; }
    const product = productOf(b);
    const applies = su.cves.some((c) => f.cves.includes(c.id) && product !== undefined && c.products.includes(product));
    if (!applies || hasSecurityUpdate(b, f.fixedBy, k) === undefined) { fe.state = 'not-affected'; families.push(fe); continue; }
    // ProxyShell needs Apr21SU and May21SU; check every SU that fixes one of the family's CVEs
    const fm = familyMissing(f.cves, missing);
    fe.missing = [...new Set(fm.map((m) => m.cve))];
    const own = fm.find((m) => m.fixedBuild);
    fe.fixReleased = own?.suDate ?? su.date;
    if (fm.length === 0) fe.state = 'fixed';
    else if (fm.every((m) => m.status === 'likely-fixed')) fe.state = 'likely-fixed';
    else if (fm.some((m) => m.status === 'revision-unknown') && fm.every((m) => m.status !== 'missing') && fm.some((m) => !m.needsCuUpgrade)) fe.state = 'unknown';
    else fe.state = 'vulnerable';
    if ((fe.state === 'vulnerable' || fe.state === 'unknown') && input.mitigations) {
      const key = f.id === 'proxylogon' ? 'CVE-2021-26855' : f.id === 'owassrf' ? 'CVE-2022-41080' : f.cves[0]!;
      const eff = mitigationEffect(input.mitigations, key);
      if (eff.effect !== 'none' && eff.by) {
        fe.mitigation = { by: eff.by, effect: eff.effect, why: eff.why ?? '' };
        if (fe.state === 'vulnerable') fe.state = eff.effect === 'blocks' ? 'mitigated' : 'partially-mitigated';
      } else if (f.id === 'owassrf') {
        fe.mitigation = { by: 'proxynotshell-rewrite', effect: 'none', why: 'URL Rewrite mitigations for ProxyNotShell do not stop OWASSRF' };
      }
    }
    const vulnerableNow = fe.state !== 'fixed' && fe.state !== 'likely-fixed';
    const fixedBy = f.id === 'proxyshell' ? 'May21SU' : f.fixedBy;
    fe.windows = windowsFor(fe.fixReleased, fixedBy, segments, installed, vulnerableNow, k);
    for (const kind of ['in-the-wild', 'mass-exploitation'] as const) {
      const m = milestone(ms, f.id, kind);
      if (!m) continue;
      const onDay = days.length && days[0]!.day <= m.date ? buildOnDay(days, m.date) : undefined;
      fe.atMilestones.push({ kind, date: m.date, state: onDay === undefined ? 'no-logs' : isVulnerableBuild(onDay, fixedBy, k) === false ? 'fixed' : 'vulnerable' });
    }
    families.push(fe);
  }
  const epState = input.mitigations?.extendedProtection;
  const exposure: Exposure = {
    schema: 'exhunt.exposure/1',
    host,
    buildConfidence: installed.confidence,
    vulnerable: families.some((f) => ['vulnerable', 'partially-mitigated', 'mitigated'].includes(f.state)) || missing.some((m) => m.status === 'missing'),
    buildEvidence: installed.candidates,
    conflicts: installed.conflicts,
    installedUpdates: installed.updates.map((u) => ({ kb: u.kb, packageName: u.packageName, ...(u.installedDate ? { installedDate: u.installedDate } : {}) })),
    missingFixes: missing,
    families,
    mitigations: input.mitigations?.mitigations ?? [],
    extendedProtection: { state: epState?.state ?? 'unknown', wrong: epState?.wrong ?? [] },
    timeline: { segments, days: days.map((d) => ({ day: d.day, builds: d.builds.map((x) => x.build) })), backendBuilds: installed.timeline.backendBuilds },
    notes,
  };
  if (installed.build) exposure.build = installed.build;
  if (installed.basis) exposure.buildBasis = installed.basis;
  if (id?.product) exposure.product = id.product;
  if (id?.productName) exposure.productName = id.productName;
  if (id?.cu) exposure.cu = id.cu;
  if (id?.su) exposure.su = id.su;
  if (id?.outOfSupport !== undefined) exposure.outOfSupport = id.outOfSupport;
  if (id?.endOfSupport !== undefined) exposure.endOfSupport = id.endOfSupport;
  if (id) notes.push(...id.notes);
  return { exposure, findings: exposureFindings(exposure, installed, k) };
}

function epFamily(fe: FamilyExposure, b: Build | undefined, mit: MitigationResult | undefined, k: Knowledge): FamilyExposure {
  const fix = k.data.configFixes.find((c) => c.id === 'extended-protection');
  const product = b ? productOf(b) : undefined;
  if (!b || !fix || !product) return fe;
  if (!fix.cves.some((c) => fe.cves.includes(c.id) && c.products.includes(product))) { fe.state = 'not-affected'; return fe; }
  const ep = mit?.extendedProtection.state ?? 'unknown';
  const defaultOn = fix.defaultOnFrom ? parseBuild(fix.defaultOnFrom.build) : undefined;
  fe.missing = fe.cves;
  if (ep === 'configured') { fe.state = 'fixed'; fe.missing = []; }
  else if (ep === 'unknown' && defaultOn && b.major === defaultOn.major && b.minor === defaultOn.minor && compareBuild(b, defaultOn) >= 0) {
    fe.state = 'likely-fixed';
    fe.note = `Extended Protection is on by default from ${fix.defaultOnFrom!.name} (uncertain); no IIS configuration was collected to confirm`;
  } else if (ep === 'unknown') { fe.state = 'unknown'; fe.note = 'Extended Protection state unknown: applicationHost.config not collected'; }
  else { fe.state = 'vulnerable'; fe.note = `Extended Protection ${ep}${mit?.extendedProtection.wrong.length ? ' (' + mit.extendedProtection.wrong.slice(0, 5).join(', ') + ')' : ''}`; }
  return fe;
}

function exposureFindings(x: Exposure, installed: InstalledBuild, k: Knowledge): Finding[] {
  const basis = installed.candidates[0];
  const evidence: Evidence = basis?.evidence ?? { path: '', excerpt: 'no build evidence' };
  const out: Finding[] = [];
  const ref = (suId: string): string[] => { const s = k.suById.get(suId); return s ? [s.ref] : []; };
  for (const f of x.families) {
    if (!['vulnerable', 'partially-mitigated', 'mitigated', 'likely-fixed'].includes(f.state)) continue;
    let level = LEVEL[f.family] ?? 'medium';
    if (f.state === 'partially-mitigated') level = LOWER[level];
    if (f.state === 'mitigated') level = LOWER[LOWER[level]];
    if (f.state === 'likely-fixed') level = 'low';
    const what = f.state === 'likely-fixed' ? 'fix probably installed but not proven' : f.state === 'vulnerable' ? 'fix missing' : `fix missing, ${f.state}`;
    out.push({
      rule: { id: `exposure.${f.family}`, title: `${f.name}: ${what} (${f.fixedBy})`, source: 'rules/exchange/builds.json', level, references: f.fixedBy === 'extended-protection' ? ['https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21410'] : ref(f.fixedBy) },
      level, stage: 'recon', cves: f.missing.length ? f.missing : f.cves, attack: ['T1190'], evidence, entities: emptyEntities(),
    });
  }
  const famCves = new Set(x.families.flatMap((f) => f.cves));
  const others = [...new Set(x.missingFixes.filter((m) => m.status === 'missing' && !famCves.has(m.cve)).map((m) => m.cve))];
  if (others.length) {
    out.push({
      rule: { id: 'exposure.missing-security-updates', title: `${others.length} further CVE fixes missing for build ${x.build}`, source: 'rules/exchange/builds.json', level: 'medium' },
      level: 'medium', stage: 'recon', cves: others, attack: [], evidence, entities: emptyEntities(),
    });
  }
  if (x.outOfSupport) {
    out.push({
      rule: { id: 'exposure.out-of-support', title: `${x.productName ?? 'Exchange'} is out of support (since ${x.endOfSupport ?? '?'}): no further security fixes`, source: 'rules/exchange/builds.json', level: 'medium' },
      level: 'medium', stage: 'recon', cves: [], attack: [], evidence, entities: emptyEntities(),
    });
  }
  return out;
}
