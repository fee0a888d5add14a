// What a build is (product, CU, SU) and which fixes it lacks, by HealthChecker's rule
// (microsoft/CSS-Exchange Shared/CompareExchangeBuildLevel.ps1; rules/exchange/builds.json decisionRule).
import { compareBuild, formatBuild, parseBuild, sameCu, type Build } from './build-parse.js';
import { loadKnowledge, type Knowledge, type ProductId, type Release, type SecurityUpdateRow } from './build-data.js';

export interface BuildIdentity {
  build: string;
  product?: ProductId;
  productName?: string;
  /** CU name as Microsoft calls it ('CU19', 'SP1', 'RTM', 'SP3 RU32') */
  cu?: string;
  cuBuild?: string;
  cuDate?: string;
  /** newest SU of this CU at or below the build */
  su?: string;
  /** the release row this exact build is, if listed */
  release?: { name: string; kind: string; date: string; kb: string | null; sources: string[]; ref?: string };
  /** exact build listed in the data */
  known: boolean;
  /** the revision was not in the evidence (three-part build) */
  revisionKnown: boolean;
  outOfSupport?: boolean;
  endOfSupport?: string | null;
  notes: string[];
}

export type FixStatus = 'missing' | 'likely-fixed' | 'revision-unknown';

export interface MissingFix {
  cve: string;
  family?: string;
  su: string;
  suDate: string;
  /** KB of the SU (the one for this CU when the SU row carries it, else all KBs of the SU) */
  kbs: string[];
  /** SU build for this build's CU, when Microsoft shipped one */
  fixedBuild?: string;
  /** no SU for this CU: upgrading to a newer CU is the only fix */
  needsCuUpgrade: boolean;
  /** every build that carries the fix first (one per CU) */
  fixedBuilds: string[];
  status: FixStatus;
  verified: boolean;
  note?: string;
}

export function productOf(b: Build): ProductId | undefined {
  if (b.major === 14 && b.minor === 3) return '2010';
  if (b.major !== 15) return undefined;
  if (b.minor === 0) return '2013';
  if (b.minor === 1) return '2016';
  if (b.minor === 2) return b.build >= 2562 ? 'SE' : '2019';
  return undefined;
}

function cuBase(k: Knowledge, b: Build): Release | undefined {
  let best: Release | undefined;
  for (const r of k.releases) {
    if (!sameCu(r.parsed, b) || r.kind === 'su' || r.kind === 'hu') continue;
    if (!best || compareBuild(r.parsed, best.parsed) < 0) best = r;
  }
  return best;
}

export function identifyBuild(input: string | Build, k: Knowledge = loadKnowledge()): BuildIdentity {
  const b = typeof input === 'string' ? parseBuild(input) : input;
  if (!b) return { build: String(input).slice(0, 64), known: false, revisionKnown: false, notes: ['not a recognisable Exchange build number'] };
  const product = productOf(b);
  const id: BuildIdentity = { build: formatBuild(b), known: false, revisionKnown: b.revision !== undefined, notes: [] };
  if (!product) {
    id.notes.push('not Exchange 2010 SP3, 2013, 2016, 2019 or SE: out of scope and out of support');
    id.outOfSupport = true;
    return id;
  }
  const prow = k.data.products.find((p) => p.id === product)!;
  id.product = product;
  id.productName = prow.name;
  id.endOfSupport = prow.endOfSupport;
  id.outOfSupport = prow.endOfSupport !== null && prow.endOfSupport < k.data.asOf;
  const base = cuBase(k, b);
  if (base) {
    id.cu = base.cu;
    id.cuBuild = base.build;
    id.cuDate = base.date;
  } else {
    id.notes.push('CU not in the data (newer than the data, a preview, or a private build)');
  }
  const exact = b.revision !== undefined ? k.releases.find((r) => compareBuild(r.parsed, b) === 0) : undefined;
  if (exact) {
    id.known = true;
    id.release = { name: exact.name, kind: exact.kind, date: exact.date, kb: exact.kb, sources: exact.sources, ...(exact.ref ? { ref: exact.ref } : {}) };
    for (const c of exact.conflicts ?? []) id.notes.push(`sources disagree about this build (conflict ${c})`);
  } else if (b.revision !== undefined && base) {
    id.notes.push('revision not listed for this CU (interim or private fix); SU level taken from the nearest listed build below it');
  }
  if (b.revision === undefined) id.notes.push('revision unknown: the SU level cannot be read from this evidence');
  let su: Release | undefined;
  for (const r of k.releases) {
    if (!r.su || !sameCu(r.parsed, b) || compareBuild(r.parsed, b) > 0 || b.revision === undefined) continue;
    if (!su || compareBuild(r.parsed, su.parsed) > 0) su = r;
  }
  if (su) id.su = su.su!;
  return id;
}

/** HealthChecker's rule: is `b` at or above SU `suId` for its major.minor? undefined = SU not for this product line. */
export function hasSecurityUpdate(b: Build, suId: string, k: Knowledge = loadKnowledge()): boolean | undefined {
  const all = (k.suReleases.get(suId) ?? []).filter((r) => r.parsed.major === b.major && r.parsed.minor === b.minor);
  if (all.length === 0) return undefined;
  // the earliest build per CU carries the fix (a v2 re-release repeats it)
  const perCu = firstPerCu(all);
  const max = perCu.reduce((a, r) => (compareBuild(r.parsed, a.parsed) > 0 ? r : a));
  if (compareBuild(b, max.parsed) >= 0) return true;
  const own = perCu.find((r) => sameCu(r.parsed, b));
  return own !== undefined && compareBuild(b, own.parsed) >= 0;
}

function firstPerCu(list: Release[]): Release[] {
  const m = new Map<string, Release>();
  for (const r of list) {
    const key = `${r.parsed.major}.${r.parsed.minor}.${r.parsed.build}`;
    const cur = m.get(key);
    if (!cur || compareBuild(r.parsed, cur.parsed) < 0) m.set(key, r);
  }
  return [...m.values()];
}

export interface MissingFixOptions {
  /** KB numbers found installed (Updates registry, Uninstall entries), e.g. 'KB5000871' */
  installedKbs?: string[];
}

/** Every CVE the build lacks a fix for, oldest SU first. */
export function missingFixes(input: string | Build, opts: MissingFixOptions = {}, k: Knowledge = loadKnowledge()): MissingFix[] {
  const b = typeof input === 'string' ? parseBuild(input) : input;
  if (!b) return [];
  const product = productOf(b);
  if (!product) return [];
  const kbs = new Set((opts.installedKbs ?? []).map((x) => x.toUpperCase()));
  const out: MissingFix[] = [];
  const sus = [...k.data.securityUpdates].sort((x, y) => x.date.localeCompare(y.date));
  for (const su of sus) {
    const cves = su.cves.filter((c) => c.products.includes(product));
    if (cves.length === 0) continue;
    if (hasSecurityUpdate(b, su.id, k) !== false) continue;
    out.push(...fixesFor(b, su, cves, kbs, k));
  }
  return out;
}

function fixesFor(b: Build, su: SecurityUpdateRow, cves: SecurityUpdateRow['cves'], kbs: Set<string>, k: Knowledge): MissingFix[] {
  const rows = firstPerCu((k.suReleases.get(su.id) ?? []).filter((r) => r.parsed.major === b.major && r.parsed.minor === b.minor));
  const own = rows.find((r) => sameCu(r.parsed, b));
  let status: FixStatus = b.revision === undefined ? 'revision-unknown' : 'missing';
  let note: string | undefined;
  if (su.kbs.some((kb) => kbs.has(kb))) {
    // An SU KB recorded as installed for a CU the tables cannot place, or the older-CU March 2021 packages.
    status = 'likely-fixed';
    note = `update ${su.kbs.filter((kb) => kbs.has(kb)).join(', ')} is recorded as installed, but the build does not show it`;
  }
  if (own) {
    for (const cid of own.conflicts ?? []) {
      const c = k.data.conflicts.find((x) => x.id === cid);
      const w = c?.uncertaintyWindow;
      if (!c || !w) continue;
      const lo = parseBuild(w[0]);
      if (lo && compareBuild(b, lo) >= 0) {
        status = 'likely-fixed';
        note = `sources disagree on the fixed build (${c.claims.map((x) => `${x.source}: ${x.value}`).join('; ')}); verify ${su.kbs[0]} in the Updates registry`;
      }
    }
  }
  const base = {
    su: su.id,
    suDate: own?.date ?? su.date,
    kbs: own?.kb ? [own.kb] : su.kbs,
    ...(own ? { fixedBuild: own.build } : {}),
    needsCuUpgrade: own === undefined,
    fixedBuilds: rows.map((r) => r.build).sort((x, y) => compareBuild(parseBuild(x)!, parseBuild(y)!)),
    status,
  };
  return cves.map((c) => ({
    cve: c.id,
    ...(c.family ? { family: c.family } : {}),
    ...base,
    verified: c.verified !== false,
    ...(note || c.note ? { note: [note, c.note].filter(Boolean).join(' | ') } : {}),
  }));
}
