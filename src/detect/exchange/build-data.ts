// Loads and validates rules/exchange/builds.json (the one source of truth for build facts).
import { readFileSync } from 'node:fs';
import { parseBuild, type Build } from './build-parse.js';

export type ProductId = '2010' | '2013' | '2016' | '2019' | 'SE';
export const PRODUCT_IDS: readonly ProductId[] = ['2010', '2013', '2016', '2019', 'SE'];
export type ReleaseKind = 'rtm' | 'cu' | 'sp' | 'ru' | 'su' | 'hu';

export interface ReleaseRow {
  build: string;
  product: ProductId;
  name: string;
  cu: string;
  kind: ReleaseKind;
  su?: string;
  rerelease?: boolean;
  hu?: string;
  date: string;
  kb: string | null;
  sources: string[];
  ref?: string;
  conflicts?: string[];
  outOfSupport: boolean;
}

export interface CveEntry {
  id: string;
  products: ProductId[];
  family?: string;
  alsoFamilies?: string[];
  note?: string;
  sources?: string[];
  verified?: boolean;
}

export interface SecurityUpdateRow {
  id: string;
  date: string;
  kbs: string[];
  ref: string;
  cves: CveEntry[];
  note?: string;
  sources: string[];
}

export interface ProductRow {
  id: ProductId;
  name: string;
  major: number;
  minor: number;
  buildFrom?: number;
  buildBelow?: number;
  endOfSupport: string | null;
  note?: string;
  sources: string[];
}

export interface ConfigFixRow {
  id: string;
  cves: CveEntry[];
  requires: string;
  capableFrom: Partial<Record<ProductId, string[]>>;
  capableNote?: string;
  defaultOnFrom?: { build: string; name: string; uncertain?: boolean };
  sources: string[];
}

export interface FamilyRow {
  id: string;
  name: string;
  cves: string[];
  fixedBy: string;
  mitigations?: string[];
  note?: string;
}

export interface ConflictRow {
  id: string;
  subject: string;
  claims: { source: string; value: string }[];
  resolution: string;
  uncertaintyWindow?: [string, string];
}

export interface BuildData {
  schemaVersion: 1;
  asOf: string;
  sources: Record<string, { title: string; url: string; note?: string }>;
  products: ProductRow[];
  releases: ReleaseRow[];
  securityUpdates: SecurityUpdateRow[];
  configFixes: ConfigFixRow[];
  families: FamilyRow[];
  conflicts: ConflictRow[];
}

/** A release row with its parsed build, for comparisons. */
export interface Release extends ReleaseRow {
  parsed: Build;
}

export interface Knowledge {
  data: BuildData;
  releases: Release[];
  /** SU id -> releases tagged with it */
  suReleases: Map<string, Release[]>;
  suById: Map<string, SecurityUpdateRow>;
  familyById: Map<string, FamilyRow>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KB = /^KB\d{6,7}$/;
const CVE = /^CVE-\d{4}-\d{4,}$/;
const KINDS: readonly string[] = ['rtm', 'cu', 'sp', 'ru', 'su', 'hu'];

function fail(where: string, msg: string): never {
  throw new Error(`builds.json: ${where}: ${msg}`);
}
function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function str(o: Record<string, unknown>, k: string, where: string, re?: RegExp): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0) fail(where, `${k} must be a non-empty string`);
  if (re && !re.test(v)) fail(where, `${k} '${v}' does not match ${re}`);
  return v;
}
function strArr(o: Record<string, unknown>, k: string, where: string, re?: RegExp, allowEmpty = false): string[] {
  const v = o[k];
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) fail(where, `${k} must be a ${allowEmpty ? '' : 'non-empty '}array`);
  for (const x of v) if (typeof x !== 'string' || (re && !re.test(x))) fail(where, `${k} has a bad entry '${String(x)}'`);
  return v as string[];
}

function checkCves(list: unknown, where: string, sources: Record<string, unknown>): void {
  if (!Array.isArray(list)) fail(where, 'cves must be an array');
  list.forEach((c, i) => {
    const w = `${where}.cves[${i}]`;
    if (!isObj(c)) fail(w, 'must be an object');
    str(c, 'id', w, CVE);
    for (const p of strArr(c, 'products', w)) if (!PRODUCT_IDS.includes(p as ProductId)) fail(w, `unknown product ${p}`);
    if (c.sources !== undefined) for (const s of strArr(c, 'sources', w)) if (!s.startsWith('https://') && !(s in sources)) fail(w, `unknown source ${s}`);
  });
}

/** Validate parsed JSON; throws an Error naming the first bad field. */
export function validateBuildData(raw: unknown): BuildData {
  if (!isObj(raw)) fail('root', 'must be an object');
  if (raw.schemaVersion !== 1) fail('root', 'schemaVersion must be 1');
  if (!isObj(raw.sources)) fail('root', 'sources must be an object');
  const sources = raw.sources;
  for (const [k, v] of Object.entries(sources)) {
    if (!isObj(v)) fail(`sources.${k}`, 'must be an object');
    str(v, 'url', `sources.${k}`, /^https:\/\//);
  }
  const srcOk = (s: string, w: string): void => {
    if (!(s in sources) && !s.startsWith('https://')) fail(w, `unknown source ${s}`);
  };
  for (const k of ['products', 'releases', 'securityUpdates', 'configFixes', 'families', 'conflicts']) {
    if (!Array.isArray(raw[k])) fail('root', `${k} must be an array`);
  }
  const suIds = new Set<string>();
  (raw.securityUpdates as unknown[]).forEach((s, i) => {
    const w = `securityUpdates[${i}]`;
    if (!isObj(s)) fail(w, 'must be an object');
    const id = str(s, 'id', w, /^[A-Z][a-z]{2}\d{2}SU$/);
    if (suIds.has(id)) fail(w, `duplicate id ${id}`);
    suIds.add(id);
    str(s, 'date', w, DATE);
    strArr(s, 'kbs', w, KB, true); // empty when only HealthChecker knows the SU (kb not collected)
    for (const x of strArr(s, 'sources', w)) srcOk(x, w);
    checkCves(s.cves, w, sources);
  });
  const conflictIds = new Set<string>();
  (raw.conflicts as unknown[]).forEach((c, i) => {
    const w = `conflicts[${i}]`;
    if (!isObj(c)) fail(w, 'must be an object');
    conflictIds.add(str(c, 'id', w));
    str(c, 'resolution', w);
    if (!Array.isArray(c.claims) || c.claims.length === 0) fail(w, 'claims must be a non-empty array');
  });
  const seen = new Set<string>();
  (raw.releases as unknown[]).forEach((r, i) => {
    const w = `releases[${i}]`;
    if (!isObj(r)) fail(w, 'must be an object');
    const b = str(r, 'build', w, /^\d+\.\d+\.\d+\.\d+$/);
    if (seen.has(b)) fail(w, `duplicate build ${b}`);
    seen.add(b);
    if (!parseBuild(b)) fail(w, `unparsable build ${b}`);
    if (!PRODUCT_IDS.includes(r.product as ProductId)) fail(w, `unknown product ${String(r.product)}`);
    if (!KINDS.includes(r.kind as string)) fail(w, `unknown kind ${String(r.kind)}`);
    str(r, 'cu', w);
    str(r, 'date', w, DATE);
    if (r.kb !== null && (typeof r.kb !== 'string' || !KB.test(r.kb))) fail(w, `bad kb ${String(r.kb)}`);
    for (const s of strArr(r, 'sources', w)) srcOk(s, w);
    if (typeof r.outOfSupport !== 'boolean') fail(w, 'outOfSupport must be boolean');
    if (r.su !== undefined && !suIds.has(r.su as string)) fail(w, `su ${String(r.su)} is not described in securityUpdates`);
    if (r.kind === 'su' && r.su === undefined) fail(w, 'an su row needs su');
    if (r.conflicts !== undefined) for (const c of strArr(r, 'conflicts', w)) if (!conflictIds.has(c)) fail(w, `unknown conflict ${c}`);
  });
  (raw.families as unknown[]).forEach((f, i) => {
    const w = `families[${i}]`;
    if (!isObj(f)) fail(w, 'must be an object');
    str(f, 'id', w);
    strArr(f, 'cves', w, CVE);
    str(f, 'fixedBy', w);
  });
  (raw.configFixes as unknown[]).forEach((f, i) => {
    const w = `configFixes[${i}]`;
    if (!isObj(f)) fail(w, 'must be an object');
    str(f, 'id', w);
    checkCves(f.cves, w, sources);
  });
  return raw as unknown as BuildData;
}

/** Index the data for lookups. */
export function buildKnowledge(data: BuildData): Knowledge {
  const releases: Release[] = data.releases.map((r) => ({ ...r, parsed: parseBuild(r.build)! }));
  const suReleases = new Map<string, Release[]>();
  for (const r of releases) {
    if (!r.su) continue;
    const list = suReleases.get(r.su) ?? [];
    list.push(r);
    suReleases.set(r.su, list);
  }
  return {
    data,
    releases,
    suReleases,
    suById: new Map(data.securityUpdates.map((s) => [s.id, s])),
    familyById: new Map(data.families.map((f) => [f.id, f])),
  };
}

// src/detect/exchange -> repo root is three levels up; dist/src/detect/exchange -> four.
const CANDIDATES = ['../../../rules/exchange/', '../../../../rules/exchange/'];

/** Read a JSON file from rules/exchange/, wherever the package is installed. */
export function readRulesJson(name: string): unknown {
  let lastErr: unknown;
  for (const rel of CANDIDATES) {
    try {
      return JSON.parse(readFileSync(new URL(rel + name, import.meta.url), 'utf8'));
    } catch (e) {
      lastErr = e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') break;
    }
  }
  throw new Error(`cannot read rules/exchange/${name}: ${(lastErr as Error).message}`);
}

let cached: Knowledge | undefined;
/** The bundled build knowledge (validated once, then cached). */
export function loadKnowledge(): Knowledge {
  cached ??= buildKnowledge(validateBuildData(readRulesJson('builds.json')));
  return cached;
}
