// Logsource mapping files (rules/mapping/*.yml): which exhunt log types and records a Sigma logsource
// means, how Sigma field names map to the fields the logs write, and how the raw line is encoded (for the
// literal prefilter). Data, not code: see rules/mapping/README.md for the format.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { LoadProblem, SigmaLogsource } from './types.js';

/** How a record's values appear in the raw line the prefilter scans. */
export type RawEncoding =
  | 'iis-w3c' // space-separated, spaces inside values written as '+'
  | 'csv' // comma-separated, quoted fields with doubled quotes
  | 'text' // values appear verbatim
  | 'none'; // no raw line the prefilter could use

export type FieldSource =
  | { kind: 'field'; name: string }
  /**
   * '{a}?{b}': each chunk's prefix is written only when its field is non-empty. `boundary`: characters
   * that every non-empty field after the first starts with (e.g. '?' for HttpProxy's UrlQuery), so that a
   * literal without them cannot span two fields; needed where fields are joined without a separator.
   */
  | { kind: 'template'; text: string; chunks: { prefix: string; field: string }[]; suffix: string; boundary: string };

export interface MappingEntry {
  /** file and entry name, for messages */
  name: string;
  file: string;
  /** per Sigma logsource key: accepted values (null = the rule must not set this key) */
  logsource: Partial<Record<'product' | 'category' | 'service', (string | null)[]>>;
  /** exhunt log types (globs: * matches any run, e.g. 'httpproxy/*') */
  logTypes: string[];
  /** record conditions: field -> accepted values (case-insensitive) */
  where: { field: string; values: string[] }[];
  /** Sigma field -> candidate sources, primary first (null/exists test only the primary) */
  fields: Record<string, FieldSource[]>;
  encoding: RawEncoding;
  /** Sigma fields whose rule patterns write spaces as '+' (W3C style) while this log keeps spaces */
  plusIsSpace: string[];
}

export interface LogsourceMapping {
  entries: MappingEntry[];
  /** values for %name% placeholders of the expand modifier */
  placeholders: Record<string, string[]>;
  problems: LoadProblem[];
}

const LS_KEYS = ['product', 'category', 'service'] as const;
const ENCODINGS: RawEncoding[] = ['iis-w3c', 'csv', 'text', 'none'];

/** The repository's rules/mapping folder, from src/ (tsx) or dist/src/ (built). */
export function defaultMappingDir(): string {
  for (const rel of ['../../../rules/mapping/', '../../../../rules/mapping/']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  return fileURLToPath(new URL('../../../rules/mapping/', import.meta.url));
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalarText = (v: unknown): string | null | undefined =>
  v === null ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

export function parseFieldSource(s: string, boundary = ''): FieldSource | string {
  if (!s.includes('{')) return { kind: 'field', name: s };
  const chunks: { prefix: string; field: string }[] = [];
  let rest = s;
  let prefix = '';
  while (rest.length) {
    const open = rest.indexOf('{');
    if (open < 0) break;
    const close = rest.indexOf('}', open);
    if (close < 0) return `unclosed '{' in field template '${s}'`;
    prefix += rest.slice(0, open);
    const field = rest.slice(open + 1, close);
    if (!field) return `empty field name in template '${s}'`;
    chunks.push({ prefix, field });
    prefix = '';
    rest = rest.slice(close + 1);
  }
  return { kind: 'template', text: s, chunks, suffix: rest, boundary };
}

export function parseMappingText(text: string, file: string): { entries: MappingEntry[]; placeholders: Record<string, string[]>; problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const entries: MappingEntry[] = [];
  const placeholders: Record<string, string[]> = {};
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: false });
  } catch (e) {
    return { entries, placeholders, problems: [{ path: file, reason: `mapping YAML error: ${(e as Error).message.split('\n')[0]}`, severity: 'error' }] };
  }
  if (doc === null || doc === undefined) return { entries, placeholders, problems };
  if (!isMap(doc)) return { entries, placeholders, problems: [{ path: file, reason: 'mapping file is not a YAML map', severity: 'error' }] };
  const bad = (reason: string): void => void problems.push({ path: file, reason, severity: 'error' });
  if (isMap(doc['placeholders'])) {
    for (const [k, v] of Object.entries(doc['placeholders'])) {
      const vals = (Array.isArray(v) ? v : [v]).map(scalarText).filter((x): x is string => typeof x === 'string');
      placeholders[k] = vals;
    }
  }
  const list = doc['logsources'];
  if (list === undefined) return { entries, placeholders, problems };
  if (!Array.isArray(list)) {
    bad("'logsources' must be a list");
    return { entries, placeholders, problems };
  }
  list.forEach((e: unknown, i) => {
    const where = `${file} entry ${i + 1}`;
    if (!isMap(e)) return bad(`${where}: not a map`);
    const name = typeof e['name'] === 'string' ? e['name'] : `#${i + 1}`;
    const ls = e['logsource'];
    if (!isMap(ls)) return bad(`${where} (${name}): no logsource`);
    const logsource: MappingEntry['logsource'] = {};
    for (const k of Object.keys(ls)) {
      if (!(LS_KEYS as readonly string[]).includes(k)) return bad(`${where} (${name}): unknown logsource key '${k}'`);
      const vals = (Array.isArray(ls[k]) ? (ls[k] as unknown[]) : [ls[k]]).map(scalarText);
      if (vals.some((v) => v === undefined)) return bad(`${where} (${name}): logsource.${k} must be text, null or a list of those`);
      logsource[k as (typeof LS_KEYS)[number]] = vals.map((v) => (v === null || v === undefined ? null : v.toLowerCase()));
    }
    if (Object.keys(logsource).length === 0) return bad(`${where} (${name}): empty logsource`);
    const lt = e['logTypes'];
    const logTypes = (Array.isArray(lt) ? lt : [lt]).filter((x): x is string => typeof x === 'string' && x.length > 0);
    if (logTypes.length === 0) return bad(`${where} (${name}): no logTypes`);
    const conds: MappingEntry['where'] = [];
    if (e['where'] !== undefined) {
      if (!isMap(e['where'])) return bad(`${where} (${name}): 'where' must be a map`);
      for (const [f, v] of Object.entries(e['where'])) {
        const vals = (Array.isArray(v) ? v : [v]).map(scalarText).filter((x): x is string => typeof x === 'string');
        if (vals.length === 0) return bad(`${where} (${name}): where.${f} has no values`);
        conds.push({ field: f, values: vals.map((x) => x.toLowerCase()) });
      }
    }
    const fields: Record<string, FieldSource[]> = Object.create(null) as Record<string, FieldSource[]>;
    if (e['fields'] !== undefined) {
      if (!isMap(e['fields'])) return bad(`${where} (${name}): 'fields' must be a map`);
      for (const [f, v] of Object.entries(e['fields'])) {
        const srcs = (Array.isArray(v) ? v : [v])
          .map((x: unknown) => (typeof x === 'string' ? { t: x, b: '' } : isMap(x) && typeof x['template'] === 'string' ? { t: x['template'], b: typeof x['boundary'] === 'string' ? x['boundary'] : '' } : null))
          .filter((x): x is { t: string; b: string } => x !== null);
        if (srcs.length === 0) return bad(`${where} (${name}): fields.${f} has no source`);
        const parsed: FieldSource[] = [];
        for (const { t: s, b } of srcs) {
          const p = parseFieldSource(s, b);
          if (typeof p === 'string') return bad(`${where} (${name}): ${p}`);
          parsed.push(p);
        }
        fields[f] = parsed;
      }
    }
    const enc = e['encoding'] ?? 'text';
    if (typeof enc !== 'string' || !(ENCODINGS as string[]).includes(enc)) return bad(`${where} (${name}): encoding must be one of ${ENCODINGS.join(', ')}`);
    const pis = e['plusIsSpace'];
    const plusIsSpace = (Array.isArray(pis) ? pis : pis === undefined ? [] : [pis]).filter((x): x is string => typeof x === 'string');
    entries.push({ name, file, logsource, logTypes, where: conds, fields, encoding: enc as RawEncoding, plusIsSpace });
  });
  return { entries, placeholders, problems };
}

/** Read every *.yml / *.yaml in `dir` (not recursive), in name order. */
export function loadLogsourceMapping(dir: string = defaultMappingDir()): LogsourceMapping {
  const out: LogsourceMapping = { entries: [], placeholders: {}, problems: [] };
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (e) {
    out.problems.push({ path: dir, reason: `cannot read mapping folder: ${(e as Error).message}`, severity: 'error' });
    return out;
  }
  for (const n of names) {
    const file = join(dir, n);
    let text: string;
    try {
      if (statSync(file).size > 4 * 1024 * 1024) throw new Error('file too large');
      text = readFileSync(file, 'utf8');
    } catch (e) {
      out.problems.push({ path: file, reason: `cannot read mapping file: ${(e as Error).message}`, severity: 'error' });
      continue;
    }
    const r = parseMappingText(text, file);
    out.entries.push(...r.entries);
    out.problems.push(...r.problems);
    for (const [k, v] of Object.entries(r.placeholders)) out.placeholders[k] = [...(out.placeholders[k] ?? []), ...v];
  }
  return out;
}

/** Does this mapping entry answer the rule's logsource? Keys must agree exactly (null = key absent). */
export function entryMatches(entry: MappingEntry, ls: SigmaLogsource): boolean {
  for (const k of LS_KEYS) {
    const accepted = entry.logsource[k];
    const v = ls[k] ?? null;
    if (accepted === undefined) {
      if (v !== null) return false;
    } else if (!accepted.includes(v)) return false;
  }
  return true;
}

export function globMatch(glob: string, s: string): boolean {
  if (!glob.includes('*')) return glob === s;
  const re = new RegExp('^' + glob.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(s);
}
