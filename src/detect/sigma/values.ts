// Field tests: `field|mod|mod: value(s)` parsed into a FieldTest, applying the Sigma value modifiers.
import { parseCidr } from './cidr.js';
import { toBase64, toBase64Offsets, toUtf16, windashVariants, type TextEncoding } from './encode.js';
import { hasWildcards, literalText, normalize, parseValue } from './pattern.js';
import { compileSigmaRegex } from './regex.js';
import type { Cidr, FieldTest, Part, ValueTest } from './types.js';

export const KNOWN_MODIFIERS = new Set([
  'contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'ignorecase', 'multiline', 'dotall',
  'base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash', 'cidr', 'cased', 'exists',
  'lt', 'lte', 'gt', 'gte', 'fieldref', 'expand',
]);

/** Values longer than this are refused (a rule is a small text; this bounds memory and match time). */
const MAX_VALUE_LENGTH = 8192;
const MAX_VALUES = 10000;

export interface FieldTestResult {
  test?: FieldTest;
  error?: string;
  warnings: string[];
}

type Scalar = string | null;

/** Normalise YAML values: numbers arrive as their source text (see load.ts), booleans become text. */
function scalarOf(v: unknown): Scalar | undefined {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** Parse `key` (field name plus modifiers; '' or '|all' etc. for keywords) with its YAML value. */
export function parseFieldTest(key: string | null, raw: unknown): FieldTestResult {
  const warnings: string[] = [];
  const segs = key === null ? [''] : key.split('|');
  const fieldName = segs[0]!.trim();
  const field = key === null || fieldName === '' ? null : fieldName;
  const mods = segs.slice(1).map((m) => m.trim().toLowerCase());
  for (const m of mods) if (!KNOWN_MODIFIERS.has(m)) return { error: `unsupported value modifier '${m}'`, warnings };

  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) return { error: `empty value list for '${key ?? 'keywords'}'`, warnings };
  if (list.length > MAX_VALUES) return { error: `too many values for '${key ?? 'keywords'}'`, warnings };
  const values: Scalar[] = [];
  for (const v of list) {
    const s = scalarOf(v);
    if (s === undefined) return { error: `value of '${key ?? 'keywords'}' is not a scalar`, warnings };
    if (s !== null && s.length > MAX_VALUE_LENGTH) return { error: `value of '${key ?? 'keywords'}' is too long`, warnings };
    values.push(s);
  }

  const has = (m: string): boolean => mods.includes(m);
  const all = has('all');
  const cased = has('cased');
  const tests: ValueTest[] = [];

  if (field === null && (has('exists') || has('fieldref') || has('cidr') || has('lt') || has('lte') || has('gt') || has('gte')))
    return { error: `modifier needs a field name (keyword list with |${mods.join('|')})`, warnings };

  if (has('exists')) {
    if (values.length !== 1) return { error: 'exists takes a single true/false value', warnings };
    const v = values[0]?.toLowerCase();
    if (v !== 'true' && v !== 'false') return { error: `exists value must be true or false, not '${values[0]}'`, warnings };
    return { test: { field, modifiers: mods, values: [{ k: 'exists', want: v === 'true' }], all }, warnings };
  }

  const cmp = (['lt', 'lte', 'gt', 'gte'] as const).find((m) => has(m));
  if (cmp) {
    for (const v of values) {
      const n = v === null ? NaN : Number(v);
      if (v === null || v.trim() === '' || !Number.isFinite(n)) return { error: `|${cmp} needs a number, got '${v}'`, warnings };
      tests.push({ k: 'cmp', op: cmp, n });
    }
    return { test: { field, modifiers: mods, values: tests, all }, warnings };
  }

  if (has('cidr')) {
    const nets: Cidr[] = [];
    for (const v of values) {
      const c = v === null ? null : parseCidr(v);
      if (!c) return { error: `invalid CIDR network '${v}'`, warnings };
      nets.push(c);
    }
    // 'all' over networks is AND; keep one test per network so that the generic all/any logic applies
    return { test: { field, modifiers: mods, values: all ? nets.map((n) => ({ k: 'cidr', nets: [n] })) : [{ k: 'cidr', nets }], all }, warnings };
  }

  if (has('fieldref')) {
    const mode = has('contains') ? 'contains' : has('startswith') ? 'start' : has('endswith') ? 'end' : 'eq';
    for (const v of values) {
      if (v === null || v === '') return { error: 'fieldref needs a field name', warnings };
      tests.push({ k: 'fieldref', other: v, mode, cased });
    }
    return { test: { field, modifiers: mods, values: tests, all }, warnings };
  }

  if (has('re')) {
    const flags = { i: has('i') || has('ignorecase'), m: has('m') || has('multiline'), s: has('s') || has('dotall') };
    const others = mods.filter((m) => !['re', 'i', 'm', 's', 'ignorecase', 'multiline', 'dotall', 'all', 'cased'].includes(m));
    if (others.length) return { error: `modifier '${others[0]}' cannot be combined with re`, warnings };
    for (const v of values) {
      if (v === null) return { error: 're needs a pattern, got null', warnings };
      const r = compileSigmaRegex(v, flags);
      if (!r.re) return { error: r.error ?? 'invalid regex', warnings };
      if (r.slow) warnings.push(`regex /${v.slice(0, 80)}/ has nested unbounded quantifiers (may backtrack badly); values are truncated to a short prefix before testing`);
      tests.push({ k: 're', re: r.re, slow: r.slow });
    }
    return { test: { field, modifiers: mods, values: tests, all }, warnings };
  }
  for (const m of ['i', 'm', 's', 'ignorecase', 'multiline', 'dotall']) if (has(m)) return { error: `modifier '${m}' is only valid after re`, warnings };

  for (const v of values) {
    if (v === null) {
      if (mods.some((m) => m !== 'all' && m !== 'cased')) return { error: `null value with modifiers |${mods.join('|')}`, warnings };
      tests.push({ k: 'null' });
      continue;
    }
    const r = stringTest(v, mods, cased);
    if (typeof r === 'string') return { error: r, warnings };
    tests.push(r);
  }
  if (field === null && tests.some((t) => t.k === 'null')) return { error: 'null in a keyword list', warnings };
  return { test: { field, modifiers: mods, values: tests, all }, warnings };
}

/** Apply the string modifiers, in the order written, to one plain value. */
function stringTest(v: string, mods: string[], cased: boolean): ValueTest | string {
  let variants: Part[][] = [parseValue(v, mods.includes('expand'))];
  let binary = false;
  let encoded = false;
  let typeMod: 'contains' | 'startswith' | 'endswith' | null = null;
  for (const m of mods) {
    switch (m) {
      case 'wide':
      case 'utf16le':
      case 'utf16be':
      case 'utf16': {
        if (binary) return `modifier '${m}' applied twice`;
        const enc: TextEncoding = m === 'wide' ? 'utf16le' : (m as TextEncoding);
        if (variants.some(hasWildcards)) return `'${m}' cannot encode a value with wildcards or placeholders`;
        variants = variants.map((p) => [{ t: 'lit', s: toUtf16(literalText(p), enc) }]);
        binary = true;
        break;
      }
      case 'base64':
      case 'base64offset': {
        if (encoded) return `modifier '${m}' applied twice`;
        if (typeMod) return `'${m}' must come before contains/startswith/endswith`;
        if (variants.some(hasWildcards)) return `'${m}' cannot encode a value with wildcards or placeholders`;
        const next: Part[][] = [];
        for (const p of variants) {
          const text = literalText(p);
          const enc = m === 'base64' ? [toBase64(text, binary)] : toBase64Offsets(text, binary);
          for (const e of enc) next.push([{ t: 'lit', s: e }]);
        }
        variants = next;
        binary = false;
        encoded = true;
        break;
      }
      case 'windash': {
        const next: Part[][] = [];
        for (const p of variants) {
          // expand each literal part; combine cartesian over parts
          let acc: Part[][] = [[]];
          for (const part of p) {
            if (part.t !== 'lit') {
              acc = acc.map((a) => [...a, part]);
              continue;
            }
            const vs = windashVariants(part.s);
            if (!vs) return 'windash would produce too many variants';
            const grown: Part[][] = [];
            for (const a of acc) for (const s of vs) grown.push([...a, { t: 'lit', s }]);
            acc = grown;
            if (acc.length > 256) return 'windash would produce too many variants';
          }
          next.push(...acc.map(normalize));
        }
        variants = next;
        break;
      }
      case 'contains':
      case 'startswith':
      case 'endswith':
        if (typeMod) return `conflicting modifiers '${typeMod}' and '${m}'`;
        typeMod = m;
        variants = variants.map((p) =>
          normalize(m === 'contains' ? [{ t: 'star' }, ...p, { t: 'star' }] : m === 'startswith' ? [...p, { t: 'star' }] : [{ t: 'star' }, ...p]),
        );
        break;
      default:
        break; // all, cased, expand: handled elsewhere
    }
  }
  const test: ValueTest = { k: 'str', variants, cased: cased || encoded || binary };
  if (binary) test.binary = true;
  // A plain number is also compared as a number (" 401" or "401.0" vs 401); see bind.ts.
  if (!typeMod && !encoded && !binary && /^-?\d+(\.\d+)?$/.test(v)) test.num = Number(v);
  return test;
}
