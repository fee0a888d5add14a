// Exchange build numbers in every form the evidence writes them:
//   15.1.2176.2   15.01.2176.002   Version 15.1 (Build 2176.2)   15.1.2375 (owa/auth folder, no revision)
// Parsing never throws; garbage gives undefined.

export interface Build {
  major: number;
  minor: number;
  build: number;
  /** undefined when the source only carries three parts (e.g. an owa/auth/<version>/ folder) */
  revision?: number;
}

const MAX_INPUT = 256;
const DOTTED = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{1,5})(?:\.(\d{1,5}))?(?![\d.]*\d)/;
const VERSION_BUILD = /Version\s+(\d{1,2})\.(\d{1,2})\s*\(\s*Build\s+(\d{1,5})\.(\d{1,5})\s*\)/i;

function plausible(b: Build): boolean {
  // 8 = Exchange 2007, 14 = 2010, 15 = 2013..SE; nothing else (keeps IP addresses out). Reject '0.0'
  // placeholders such as 'Version 15.0 (Build 0.0)'.
  return (b.major === 8 || b.major === 14 || b.major === 15) && b.minor <= 3 && b.build >= 1 && b.build <= 99999;
}

/** Parse the first build number found in `text`; undefined if none is plausible. */
export function parseBuild(text: string | undefined | null): Build | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const s = text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text;
  const vb = VERSION_BUILD.exec(s);
  if (vb) {
    const b = { major: +vb[1]!, minor: +vb[2]!, build: +vb[3]!, revision: +vb[4]! };
    return plausible(b) ? b : undefined;
  }
  const m = DOTTED.exec(s);
  if (!m) return undefined;
  const b: Build = { major: +m[1]!, minor: +m[2]!, build: +m[3]! };
  if (m[4] !== undefined) b.revision = +m[4];
  return plausible(b) ? b : undefined;
}

/** Build from the four HttpProxy/EWS/Rps columns MajorVersion, MinorVersion, BuildVersion, RevisionVersion. */
export function buildFromParts(major: string, minor: string, build: string, revision?: string): Build | undefined {
  const num = (x: string | undefined): number | undefined => (x !== undefined && /^\d{1,5}$/.test(x.trim()) ? +x.trim() : undefined);
  const a = num(major), b = num(minor), c = num(build), d = num(revision);
  if (a === undefined || b === undefined || c === undefined) return undefined;
  const r: Build = { major: a, minor: b, build: c };
  if (d !== undefined) r.revision = d;
  return plausible(r) ? r : undefined;
}

/** Numeric comparison; a missing revision compares as 0 (the lowest build of its CU). */
export function compareBuild(a: Build, b: Build): number {
  return a.major - b.major || a.minor - b.minor || a.build - b.build || (a.revision ?? 0) - (b.revision ?? 0);
}

/** Short form, e.g. 15.1.2176.2 (three parts when the revision is unknown). */
export function formatBuild(b: Build): string {
  return b.revision === undefined ? `${b.major}.${b.minor}.${b.build}` : `${b.major}.${b.minor}.${b.build}.${b.revision}`;
}

/** Same value, with equal precision (a three-part build equals nothing but a three-part build). */
export function sameBuild(a: Build, b: Build): boolean {
  return compareBuild(a, b) === 0 && (a.revision === undefined) === (b.revision === undefined);
}

/** Same CU: major, minor and build part equal. */
export function sameCu(a: Build, b: Build): boolean {
  return a.major === b.major && a.minor === b.minor && a.build === b.build;
}
