// Binding a loaded rule to one mapping entry: Sigma field names become record field sources, string
// patterns are lower-cased once and compiled to indexOf/startsWith/endsWith/glob tests, IIS patterns get
// their '+'-for-space twin, and the rule's necessary-literal set for the raw line is derived.
import { ipInCidrs } from './cidr.js';
import { andCnf, bestLits, litCost, longestPiece, orCnf, regexLiteral, unionLits, type Cnf, type LitSet } from './literals.js';
import type { FieldSource, LogsourceMapping, MappingEntry } from './mapping.js';
import { compileVariants } from './multimatch.js';
import { mapLiterals, normalize, parseValue, type StrTest } from './pattern.js';
import { REGEX_INPUT_CAP, SLOW_REGEX_INPUT_CAP } from './regex.js';
import type { CondNode, FieldTest, Part, SigmaRule, ValueTest } from './types.js';
import { ALL_SEP, type AccessorRegistry, type RecordView } from './view.js';

export type RecordTest = (view: RecordView) => boolean;
type VT = (view: RecordView, c: number) => boolean;

export interface BoundRule {
  rule: SigmaRule;
  entry: MappingEntry;
  test: RecordTest;
  /** necessary literals for the entry's raw encoding (null: none, or encoding 'none') */
  literals: LitSet;
  /** clauses every matching raw line satisfies (empty: no constraint), to confirm candidates cheaply */
  confirm: Cnf;
  warnings: string[];
}

interface Ctx {
  reg: AccessorRegistry;
  entry: MappingEntry;
  placeholders: Record<string, string[]>;
  warnings: string[];
}

const MAX_VARIANTS = 1024;

/** Record fields whose few values appear on nearly every line (HTTP method and status, event level). */
const LOW_CARDINALITY = new Set(['cs-method', 'sc-status', 'sc-substatus', 'sc-win32-status', 's-port', 'method', 'httpstatus', 'backendstatus', 'protocol', 'isauthenticated', 'level', 'keywords', 'opcode', 'task', 'version']);

function sourcesOf(ctx: Ctx, field: string): FieldSource[] {
  return ctx.entry.fields[field] ?? [{ kind: 'field', name: field }];
}

/**
 * Characters that cannot be inside a literal taken from this source's value: a literal must lie within
 * one record field as written in the raw line. null: no literal is safe (fields joined without a
 * separator or a declared boundary).
 */
function cutChars(ctx: Ctx, srcs: FieldSource[] | null): string | null {
  let cut = ctx.entry.encoding === 'csv' ? '",' : '';
  if (srcs === null) cut += ALL_SEP;
  else
    for (const s of srcs) {
      if (s.kind !== 'template') continue;
      if (!s.boundary && s.chunks.some((c, i) => i > 0 && c.prefix === '')) return null;
      cut += s.chunks.map((c) => c.prefix).join('') + s.suffix + s.boundary;
    }
  return cut;
}

function resolvePlaceholders(ctx: Ctx, variants: Part[][]): Part[][] {
  if (!variants.some((v) => v.some((p) => p.t === 'ph'))) return variants;
  const out: Part[][] = [];
  for (const v of variants) {
    let acc: Part[][] = [[]];
    for (const p of v) {
      if (p.t !== 'ph') {
        acc = acc.map((a) => [...a, p]);
        continue;
      }
      const vals = ctx.placeholders[p.name];
      if (!vals || vals.length === 0) {
        ctx.warnings.push(`placeholder %${p.name}% has no value in the logsource mapping; it matches anything`);
        acc = acc.map((a) => [...a, { t: 'star' }]);
        continue;
      }
      const next: Part[][] = [];
      for (const a of acc) for (const val of vals) next.push([...a, ...parseValue(val)]);
      if (next.length > MAX_VARIANTS) {
        // never silently narrower: past the cap the placeholder matches anything (reported)
        ctx.warnings.push(`placeholders expand to more than ${MAX_VARIANTS} variants; %${p.name}% matches anything`);
        acc = acc.map((a) => [...a, { t: 'star' }]);
        continue;
      }
      acc = next;
    }
    out.push(...acc.map(normalize));
  }
  return out;
}

/**
 * The variants a str value test really tries: placeholders resolved, keyword wrapping, and the twins of
 * the raw encoding: on IIS '+' for each space; for fields the entry lists in plusIsSpace, ' ' for '+'.
 */
function strVariants(ctx: Ctx, t: Extract<ValueTest, { k: 'str' }>, field: string | null): Part[][] {
  let variants = resolvePlaceholders(ctx, t.variants);
  if (field === null) variants = variants.map((v) => normalize([{ t: 'star' }, ...v, { t: 'star' }]));
  if (t.binary) return variants;
  const twins = (from: string, to: string): Part[][] =>
    variants.filter((v) => v.some((p) => p.t === 'lit' && p.s.includes(from))).map((v) => mapLiterals(v, (s) => s.replaceAll(from, to)));
  // IIS writes spaces inside values as '+': the pattern matches as written or with '+' for ' '.
  if (ctx.entry.encoding === 'iis-w3c') variants = [...variants, ...twins(' ', '+')];
  // SigmaHQ writes W3C-style user agents ('Mozilla/5.0+(compatible;...'); logs that keep spaces say so.
  if (field !== null && ctx.entry.plusIsSpace.includes(field)) variants = [...variants, ...twins('+', ' ')];
  return variants;
}

/** One test for an OR of str value tests that share `cased` (one test alone, or a merged list). */
function strTest(ctx: Ctx, ts: Extract<ValueTest, { k: 'str' }>[], field: string | null): VT {
  const cased = ts[0]!.cased;
  let variants = ts.flatMap((t) => strVariants(ctx, t, field));
  if (!cased) variants = variants.map((v) => mapLiterals(v, (s) => s.toLowerCase()));
  const test: StrTest = compileVariants(variants, cased);
  const nums = ts.map((t) => t.num).filter((n): n is number => n !== undefined && Number.isInteger(n) && n >= 0);
  return (view, c) => {
    const v = cased ? view.raw(c) : view.low(c);
    if (v === undefined) return false;
    if (test(v)) return true;
    // numbers compare as numbers: 401 equals '0401' and '401.0'
    if (nums.length === 0 || v.length >= 32 || !/^\s*\+?\d+(\.0*)?\s*$/.test(v)) return false;
    const x = Number(v);
    for (let i = 0; i < nums.length; i++) if (nums[i] === x) return true;
    return false;
  };
}

function strLits(ctx: Ctx, t: Extract<ValueTest, { k: 'str' }>, variants: Part[][], cut: string | null, min?: number): LitSet {
  if (t.binary || cut === null) return null;
  const iis = ctx.entry.encoding === 'iis-w3c';
  const out: string[] = [];
  for (const v of variants) {
    // with IIS, a variant with a space can only match as its '+' twin (values never hold spaces)
    if (iis && v.some((p) => p.t === 'lit' && p.s.includes(' '))) continue;
    let best: string | null = null;
    for (const p of v) {
      if (p.t !== 'lit') continue;
      const piece = longestPiece(p.s.toLowerCase(), cut, min);
      if (piece && (!best || piece.length > best.length)) best = piece;
    }
    if (!best) return null;
    out.push(best);
  }
  return unionLits([out]);
}

function valueTest(ctx: Ctx, t: ValueTest, ft: FieldTest, cands: number[], cut: string | null): { vt: VT; lits: LitSet; short?: LitSet } {
  const primary = cands[0]!;
  switch (t.k) {
    case 'null':
      return { vt: (view) => !view.raw(primary), lits: null };
    case 'exists': {
      const want = t.want;
      return { vt: (view) => !!view.raw(primary) === want, lits: null };
    }
    case 'str': {
      const vt = strTest(ctx, [t], ft.field);
      const variants = strVariants(ctx, t, ft.field);
      let lits = strLits(ctx, t, variants, cut);
      let short = strLits(ctx, t, variants, cut, 1);
      // a number also matches its other spellings ('0401' for 401): the canonical digits are what is sure
      if (t.num !== undefined && Number.isInteger(t.num) && t.num >= 0) {
        lits = cut !== null && String(t.num).length >= 3 ? [String(t.num)] : null;
        short = cut !== null ? [String(t.num)] : null;
      }
      return { vt, lits, short };
    }
    case 're': {
      const re = t.re;
      const cap = t.slow ? SLOW_REGEX_INPUT_CAP : REGEX_INPUT_CAP;
      // IIS writes spaces as '+': a regex also runs on the value with '+' read as space. Its literal then
      // takes the raw form ('+' for ' '), which is sound for both readings (raw values hold no spaces).
      const iis = ctx.entry.encoding === 'iis-w3c';
      return {
        vt: (view, c) => {
          let v = view.raw(c);
          if (v === undefined) return false;
          if (v.length > cap) v = v.slice(0, cap);
          return re.test(v) || (iis && v.includes('+') && re.test(v.replaceAll('+', ' ')));
        },
        lits: (() => {
          const l = cut === null ? null : regexLiteral(re.source, cut);
          return l === null ? null : [iis ? l.replaceAll(' ', '+') : l];
        })(),
      };
    }
    case 'cmp': {
      const { op, n } = t;
      return {
        vt: (view, c) => {
          const v = view.raw(c);
          if (v === undefined || v.length > 64 || v.trim() === '') return false;
          const x = Number(v);
          if (!Number.isFinite(x)) return false;
          return op === 'lt' ? x < n : op === 'lte' ? x <= n : op === 'gt' ? x > n : x >= n;
        },
        lits: null,
      };
    }
    case 'cidr': {
      const nets = t.nets;
      return { vt: (view, c) => { const v = view.raw(c); return v !== undefined && ipInCidrs(v.trim(), nets); }, lits: null };
    }
    case 'fieldref': {
      const other = ctx.reg.index(sourcesOf(ctx, t.other)[0]!);
      const { mode, cased } = t;
      return {
        vt: (view, c) => {
          const a = cased ? view.raw(c) : view.low(c);
          const b = cased ? view.raw(other) : view.low(other);
          if (a === undefined || b === undefined) return false;
          return mode === 'eq' ? a === b : mode === 'contains' ? a.includes(b) : mode === 'start' ? a.startsWith(b) : a.endsWith(b);
        },
        lits: null,
      };
    }
  }
}

function weight(ft: FieldTest, cands: number): number {
  let w = cands;
  if (ft.field === null) w += 4;
  for (const v of ft.values) if (v.k === 're') w += 10;
  return w + ft.values.length / 100;
}

function bindFieldTest(ctx: Ctx, ft: FieldTest): { test: RecordTest; lits: LitSet; cnf: Cnf; weight: number } {
  const srcs = ft.field === null ? null : sourcesOf(ctx, ft.field);
  const cands = srcs === null ? [0] : srcs.map((s) => ctx.reg.index(s));
  const cut = cutChars(ctx, srcs);
  const parts = ft.values.map((v) => valueTest(ctx, v, ft, cands, cut));
  let vts = parts.map((p) => p.vt);
  const all = ft.all;
  if (!all && ft.values.length > 1) {
    // an OR list: merge the string values into one multi-pattern test per case mode
    const strs = ft.values.filter((v): v is Extract<ValueTest, { k: 'str' }> => v.k === 'str');
    const rest = parts.filter((_, i) => ft.values[i]!.k !== 'str').map((p) => p.vt);
    const merged = [true, false].map((cased) => strs.filter((v) => v.cased === cased)).filter((g) => g.length > 0).map((g) => strTest(ctx, g, ft.field));
    vts = [...merged, ...rest];
  }
  // Fields with a handful of values (method, status) are on every line: their literals select nothing.
  const lowCard = srcs !== null && srcs.every((s) => s.kind === 'field' && LOW_CARDINALITY.has(s.name.toLowerCase()));
  const lits = lowCard ? null : all ? bestLits(parts.map((p) => p.lits)) : unionLits(parts.map((p) => p.lits));
  const shorts = parts.map((p) => (p.short === undefined ? p.lits : p.short));
  const cnf: Cnf = all ? shorts.filter((x): x is string[] => x !== null && x.length > 0) : shorts.every((x) => x !== null && x.length > 0) ? [[...new Set(shorts.flat() as string[])]] : [];
  const onCand = (view: RecordView, c: number): boolean => {
    if (all) {
      for (let i = 0; i < vts.length; i++) if (!vts[i]!(view, c)) return false;
      return true;
    }
    for (let i = 0; i < vts.length; i++) if (vts[i]!(view, c)) return true;
    return false;
  };
  const c0 = cands[0]!;
  const test: RecordTest =
    cands.length === 1
      ? (view) => onCand(view, c0)
      : (view) => {
          for (let i = 0; i < cands.length; i++) if (onCand(view, cands[i]!)) return true;
          return false;
        };
  return { test, lits, cnf, weight: weight(ft, cands.length) };
}

function andTests(ts: RecordTest[]): RecordTest {
  if (ts.length === 1) return ts[0]!;
  if (ts.length === 2) {
    const [a, b] = ts as [RecordTest, RecordTest];
    return (v) => a(v) && b(v);
  }
  return (v) => {
    for (let i = 0; i < ts.length; i++) if (!ts[i]!(v)) return false;
    return true;
  };
}

function orTests(ts: RecordTest[]): RecordTest {
  if (ts.length === 1) return ts[0]!;
  return (v) => {
    for (let i = 0; i < ts.length; i++) if (ts[i]!(v)) return true;
    return false;
  };
}

export function bindRule(rule: SigmaRule, entry: MappingEntry, mapping: Pick<LogsourceMapping, 'placeholders'>, reg: AccessorRegistry): BoundRule {
  const ctx: Ctx = { reg, entry, placeholders: mapping.placeholders, warnings: [] };
  type Bound = { test: RecordTest; lits: LitSet; cnf: Cnf };
  const searches = new Map<string, Bound>();
  for (const [name, s] of Object.entries(rule.detection.searches)) {
    const alts = s.alternatives.map((alt) => {
      const fts = alt.map((ft) => bindFieldTest(ctx, ft)).sort((a, b) => a.weight - b.weight);
      return { test: andTests(fts.map((f) => f.test)), lits: bestLits(fts.map((f) => f.lits)), cnf: andCnf(fts.map((f) => f.cnf)) };
    });
    searches.set(name, { test: orTests(alts.map((a) => a.test)), lits: unionLits(alts.map((a) => a.lits)), cnf: orCnf(alts.map((a) => a.cnf)) });
  }
  const cond = (n: CondNode): Bound => {
    switch (n.t) {
      case 'ref':
        return searches.get(n.name)!;
      case 'not': {
        const a = cond(n.a).test;
        return { test: (v) => !a(v), lits: null, cnf: [] };
      }
      case 'and': {
        const cs = n.a.map(cond);
        return { test: andTests(cs.map((c) => c.test)), lits: bestLits(cs.map((c) => c.lits)), cnf: andCnf(cs.map((c) => c.cnf)) };
      }
      case 'or': {
        const cs = n.a.map(cond);
        return { test: orTests(cs.map((c) => c.test)), lits: unionLits(cs.map((c) => c.lits)), cnf: orCnf(cs.map((c) => c.cnf)) };
      }
      case 'of': {
        const cs = n.names.map((x) => searches.get(x)!);
        if (n.n === 'all') return { test: andTests(cs.map((c) => c.test)), lits: bestLits(cs.map((c) => c.lits)), cnf: andCnf(cs.map((c) => c.cnf)) };
        const tests = cs.map((c) => c.test);
        const k = n.n;
        const lits = unionLits(cs.map((c) => c.lits));
        const cnf = orCnf(cs.map((c) => c.cnf));
        if (k === 1) return { test: orTests(tests), lits, cnf };
        if (k > tests.length) return { test: () => false, lits, cnf };
        return {
          test: (v) => {
            let hit = 0;
            for (let i = 0; i < tests.length; i++) if (tests[i]!(v) && ++hit >= k) return true;
            return false;
          },
          lits,
          cnf,
        };
      }
    }
  };
  const top = cond(rule.detection.condition);
  return {
    rule,
    entry,
    test: top.test,
    literals: entry.encoding === 'none' ? null : top.lits,
    // rarest clause first: most lines fail the first test
    confirm: entry.encoding === 'none' ? [] : [...top.cnf].sort((a, b) => litCost(a) - litCost(b)),
    warnings: [...new Set(ctx.warnings)],
  };
}
