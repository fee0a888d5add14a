// Which build is installed, from the collection: ExSetup.exe's version resource or a version file,
// the Updates/Setup/Uninstall registry exports, versioned owa/auth/<build>/ folders and the build
// numbers the logs record. All candidates are kept; disagreements are listed, not hidden.
import type { Evidence } from '../../types.js';
import { compareBuild, formatBuild, parseBuild, sameCu, type Build } from './build-parse.js';
import { loadKnowledge, type Knowledge } from './build-data.js';
import { identifyBuild, type BuildIdentity } from './knowledge.js';
import { readPeVersion } from './pe-version.js';
import { normKeyPath, parseRegExport, regValue, type RegKey } from './reg-export.js';
import { decodedPath, readCapped, type CollectionFile } from './collection-files.js';
import {
  accumulateObservation, createTimelineAccumulator, timelineDays, timelineSegments,
  type BuildObservation, type TimelineAccumulator, type TimelineDay, type TimelineSegment,
} from './build-timeline.js';

export type BuildSource = 'exsetup-pe' | 'exsetup-file' | 'registry-updates' | 'logs' | 'owa-folder' | 'registry-setup';
/** Lower is more authoritative. */
const PRIORITY: Record<BuildSource, number> = { 'exsetup-pe': 0, 'exsetup-file': 1, 'registry-updates': 2, logs: 3, 'owa-folder': 4, 'registry-setup': 5 };

export interface BuildCandidate {
  build: string;
  source: BuildSource;
  /** 'su' when the revision shows the SU level; 'cu' when only the CU can be read */
  precision: 'su' | 'cu';
  evidence: Evidence;
  /** epoch ms the evidence refers to (log time, install date) */
  time?: number;
  note?: string;
}

export interface InstalledUpdate {
  kb: string;
  packageName: string;
  /** ISO date when the registry records it */
  installedDate?: string;
  product?: string;
  evidence: Evidence;
}

export interface InstalledBuild {
  /** the build exhunt believes is installed now (at collection time) */
  build?: string;
  basis?: BuildSource;
  confidence: 'high' | 'medium' | 'low' | 'none';
  identity?: BuildIdentity;
  candidates: BuildCandidate[];
  conflicts: { message: string; candidates: BuildCandidate[] }[];
  updates: InstalledUpdate[];
  timeline: { days: TimelineDay[]; segments: TimelineSegment[]; backendBuilds: string[]; rejected: number };
  /** files that could not be read or parsed, with why */
  errors: { path: string; error: string }[];
}

const PE_CAP = 64 << 20;
const TEXT_CAP = 64 << 10;
const REG_CAP = 64 << 20;

const RE_EXSETUP = /(^|\/)exsetup\.exe$/i;
const RE_VERSION_FILE = /(^|\/)[^/]*exsetup[^/]*\.(txt|json|csv|version|xml)$/i;
const RE_OWA_DIR = /\/(owa\/auth|ecp)\/(\d{1,2}\.\d{1,2}\.\d{1,5}(?:\.\d{1,5})?)\//i;

function ev(path: string, excerpt: string, extra: Partial<Evidence> = {}): Evidence {
  return { path, excerpt: excerpt.slice(0, 300), ...extra };
}

async function fromExSetup(f: CollectionFile, errors: InstalledBuild['errors']): Promise<BuildCandidate | undefined> {
  const r = await readCapped(f.absPath, PE_CAP);
  if ('error' in r) { errors.push({ path: f.path, error: r.error }); return undefined; }
  const pe = readPeVersion(r.buf);
  if (!pe.ok) { errors.push({ path: f.path, error: pe.error }); return undefined; }
  const b = parseBuild(pe.version.fileVersion) ?? parseBuild(pe.version.fileVersionString);
  if (!b) { errors.push({ path: f.path, error: `version resource holds no Exchange build (${pe.version.fileVersion ?? '?'})` }); return undefined; }
  return { build: formatBuild(b), source: 'exsetup-pe', precision: 'su', evidence: ev(f.path, `FileVersion ${pe.version.fileVersionString ?? pe.version.fileVersion}`, pe.version.offset !== undefined ? { offset: pe.version.offset } : {}) };
}

async function fromVersionFile(f: CollectionFile, errors: InstalledBuild['errors']): Promise<BuildCandidate | undefined> {
  const r = await readCapped(f.absPath, TEXT_CAP);
  if ('error' in r) { errors.push({ path: f.path, error: r.error }); return undefined; }
  const text = r.buf[0] === 0xff && r.buf[1] === 0xfe ? r.buf.subarray(2).toString('utf16le') : r.buf.toString('utf8');
  const lines = text.split(/\r?\n/);
  // Prefer a line that names FileVersion (Get-Command ExSetup | fl, or JSON); else the first build-like token.
  let idx = lines.findIndex((l) => /fileversion/i.test(l) && parseBuild(l.replace(/^.*fileversion/i, '')));
  let b = idx >= 0 ? parseBuild(lines[idx]!.replace(/^.*fileversion/i, '')) : undefined;
  if (!b) {
    idx = lines.findIndex((l) => parseBuild(l));
    b = idx >= 0 ? parseBuild(lines[idx]) : undefined;
  }
  if (!b) { errors.push({ path: f.path, error: 'no Exchange build number in the version file' }); return undefined; }
  return { build: formatBuild(b), source: 'exsetup-file', precision: b.revision !== undefined ? 'su' : 'cu', evidence: ev(f.path, lines[idx]!.trim(), { line: idx + 1 }) };
}

function parseInstalledDate(s: string): string | undefined {
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(s.trim());
  if (m) return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s.trim());
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

interface RegFindings { setup: BuildCandidate[]; updates: InstalledUpdate[] }

function fromRegistry(path: string, keys: RegKey[]): RegFindings {
  const out: RegFindings = { setup: [], updates: [] };
  for (const k of keys) {
    const p = normKeyPath(k.path);
    if (/\\software\\microsoft\\exchangeserver\\v1[45]\\setup$/.test(p)) {
      const parts = ['MsiProductMajor', 'MsiProductMinor', 'MsiBuildMajor', 'MsiBuildMinor'].map((n) => regValue(k, n));
      if (parts.every((x) => typeof x === 'number')) {
        const b = parseBuild(parts.join('.'));
        if (b) out.setup.push({ build: formatBuild(b), source: 'registry-setup', precision: 'cu', evidence: ev(path, `[${k.path}] MsiProductMajor..MsiBuildMinor = ${parts.join('.')}`, { line: k.line }), note: 'the Setup values record the CU, not the SU' });
      }
    }
    const pkg = regValue(k, 'PackageName');
    const isUpdates = /\\software\\microsoft\\updates\\exchange (20\d\d|se)\\/.test(p);
    const disp = regValue(k, 'DisplayName');
    const isUninstall = /\\currentversion\\uninstall\\/.test(p) && typeof disp === 'string' && /exchange server/i.test(disp);
    const name = isUpdates && typeof pkg === 'string' ? pkg : isUninstall ? (disp as string) : undefined;
    if (name === undefined) continue;
    const kb = /KB\d{6,7}/i.exec(name)?.[0] ?? /KB\d{6,7}/i.exec(k.path)?.[0];
    if (!kb) continue;
    const date = regValue(k, 'InstalledDate') ?? regValue(k, 'InstallDate');
    const u: InstalledUpdate = { kb: kb.toUpperCase(), packageName: name.slice(0, 200), evidence: ev(path, `[${k.path}] ${name}`, { line: k.line }) };
    const d = typeof date === 'string' ? parseInstalledDate(date) : undefined;
    if (d) u.installedDate = d;
    const prod = /exchange (20\d\d|se)/i.exec(p)?.[1];
    if (prod) u.product = prod.toUpperCase();
    out.updates.push(u);
  }
  return out;
}

/** CU from the Setup values + the newest SU KB recorded for that CU -> the SU build. */
function combineSetupAndUpdates(setup: BuildCandidate | undefined, updates: InstalledUpdate[], k: Knowledge): BuildCandidate | undefined {
  if (!setup || updates.length === 0) return undefined;
  const cu = parseBuild(setup.build)!;
  const kbs = new Set(updates.map((u) => u.kb));
  let best: { b: Build; u: InstalledUpdate } | undefined;
  for (const r of k.releases) {
    if (!r.kb || !kbs.has(r.kb) || !sameCu(r.parsed, cu) || (r.kind !== 'su' && r.kind !== 'hu')) continue;
    if (!best || compareBuild(r.parsed, best.b) > 0) best = { b: r.parsed, u: updates.find((u) => u.kb === r.kb)! };
  }
  if (!best) return undefined;
  const c: BuildCandidate = { build: formatBuild(best.b), source: 'registry-updates', precision: 'su', evidence: best.u.evidence, note: `CU from ${setup.evidence.path}, SU from installed ${best.u.kb}` };
  if (best.u.installedDate) c.time = Date.parse(best.u.installedDate + 'T00:00:00Z');
  return c;
}

function fromOwaFolders(files: CollectionFile[]): BuildCandidate[] {
  const seen = new Map<string, BuildCandidate>();
  for (const f of files) {
    const m = RE_OWA_DIR.exec(decodedPath(f.path));
    if (!m) continue;
    const b = parseBuild(m[2]);
    if (!b) continue;
    const key = formatBuild(b);
    if (!seen.has(key)) seen.set(key, { build: key, source: 'owa-folder', precision: b.revision !== undefined ? 'su' : 'cu', evidence: ev(f.path, `versioned resource folder ${m[1]}/${m[2]}/`), note: 'versioned folders of earlier builds can remain after an upgrade; the highest is taken' });
  }
  const list = [...seen.values()].sort((a, b) => compareBuild(parseBuild(b.build)!, parseBuild(a.build)!));
  return list.slice(0, 1);
}

export interface DetectOptions {
  knowledge?: Knowledge;
}

/**
 * Installed build from the collection's files plus the build observations the log readers collected
 * (an array, or an accumulator filled while streaming).
 */
export async function detectInstalledBuild(
  files: CollectionFile[],
  observations: BuildObservation[] | TimelineAccumulator,
  opts: DetectOptions = {},
): Promise<InstalledBuild> {
  const k = opts.knowledge ?? loadKnowledge();
  const errors: InstalledBuild['errors'] = [];
  const candidates: BuildCandidate[] = [];
  const updates: InstalledUpdate[] = [];
  let setup: BuildCandidate | undefined;
  for (const f of files) {
    const p = decodedPath(f.path);
    if (RE_EXSETUP.test(p)) {
      const c = await fromExSetup(f, errors);
      if (c) candidates.push(c);
    } else if (RE_VERSION_FILE.test(p)) {
      const c = await fromVersionFile(f, errors);
      if (c) candidates.push(c);
    } else if (/\.reg$/i.test(p)) {
      const r = await readCapped(f.absPath, REG_CAP);
      if ('error' in r) { errors.push({ path: f.path, error: r.error }); continue; }
      if (r.truncated) errors.push({ path: f.path, error: `larger than ${REG_CAP} bytes; only the start was read` });
      const found = fromRegistry(f.path, parseRegExport(r.buf).keys);
      updates.push(...found.updates);
      for (const s of found.setup) { candidates.push(s); setup ??= s; }
    }
  }
  const combined = combineSetupAndUpdates(setup, updates, k);
  if (combined) candidates.push(combined);
  candidates.push(...fromOwaFolders(files));

  let acc: TimelineAccumulator;
  if (Array.isArray(observations)) {
    acc = createTimelineAccumulator();
    for (const o of observations) accumulateObservation(acc, o);
  } else acc = observations;
  const days = timelineDays(acc);
  const segments = timelineSegments(days);
  const lastSeg = segments[segments.length - 1];
  if (lastSeg) {
    const b = parseBuild(lastSeg.build)!;
    candidates.push({ build: lastSeg.build, source: 'logs', precision: b.revision !== undefined ? 'su' : 'cu', evidence: lastSeg.evidence, time: lastSeg.lastTime, note: `latest build in the logs (${lastSeg.to}); logs may record the CU revision only` });
  }
  candidates.sort((a, b) => PRIORITY[a.source] - PRIORITY[b.source]);
  const chosen = candidates[0];
  const result: InstalledBuild = {
    confidence: !chosen ? 'none' : chosen.source.startsWith('exsetup') ? 'high' : chosen.source === 'registry-updates' || chosen.source === 'logs' ? 'medium' : 'low',
    candidates,
    conflicts: [],
    updates,
    timeline: { days, segments, backendBuilds: [...acc.backend.keys()], rejected: acc.rejected },
    errors,
  };
  if (chosen) {
    result.build = chosen.build;
    result.basis = chosen.source;
    result.identity = identifyBuild(chosen.build, k);
    result.conflicts = findConflicts(chosen, candidates);
  }
  return result;
}

function findConflicts(chosen: BuildCandidate, all: BuildCandidate[]): InstalledBuild['conflicts'] {
  const c = parseBuild(chosen.build)!;
  const out: InstalledBuild['conflicts'] = [];
  for (const x of all) {
    if (x === chosen) continue;
    const b = parseBuild(x.build)!;
    if (!sameCu(b, c)) {
      // older versioned folders and older log days are history, not contradiction
      if ((x.source === 'owa-folder' || x.source === 'logs') && compareBuild(b, c) < 0) continue;
      out.push({ message: `${x.source} shows ${x.build} (a different CU) but ${chosen.source} shows ${chosen.build}`, candidates: [chosen, x] });
    } else if (x.precision === 'su' && chosen.precision === 'su' && compareBuild(b, c) !== 0 && x.source !== 'logs' && x.source !== 'owa-folder') {
      out.push({ message: `${x.source} shows ${x.build} but ${chosen.source} shows ${chosen.build}`, candidates: [chosen, x] });
    } else if (x.precision === 'su' && compareBuild(b, c) > 0) {
      out.push({ message: `${x.source} shows a newer build ${x.build} than ${chosen.source} (${chosen.build})`, candidates: [chosen, x] });
    }
  }
  return out;
}
