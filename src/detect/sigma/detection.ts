// The `detection:` section: search identifiers (maps, lists of maps, keyword lists) and the condition.
import { parseCondition } from './condition.js';
import type { CondNode, Detection, FieldTest, Search } from './types.js';
import { parseFieldTest } from './values.js';

export interface DetectionResult {
  detection?: Detection;
  error?: string;
  warnings: string[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseMap(m: Record<string, unknown>, warnings: string[]): FieldTest[] | string {
  const tests: FieldTest[] = [];
  const keys = Object.keys(m);
  if (keys.length === 0) return 'empty selection';
  for (const key of keys) {
    const r = parseFieldTest(key, m[key]);
    warnings.push(...r.warnings);
    if (!r.test) return `${key}: ${r.error ?? 'invalid'}`;
    tests.push(r.test);
  }
  return tests;
}

function parseSearch(name: string, v: unknown, warnings: string[]): Search | string {
  if (isMap(v)) {
    const r = parseMap(v, warnings);
    return typeof r === 'string' ? `${name}: ${r}` : { name, alternatives: [r] };
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return `${name}: empty list`;
    if (v.every(isMap)) {
      const alts: FieldTest[][] = [];
      for (const m of v) {
        const r = parseMap(m, warnings);
        if (typeof r === 'string') return `${name}: ${r}`;
        alts.push(r);
      }
      return { name, alternatives: alts };
    }
    if (v.some(isMap) || v.some(Array.isArray)) return `${name}: mixes keywords and field maps`;
    const r = parseFieldTest(null, v);
    warnings.push(...r.warnings);
    return r.test ? { name, alternatives: [[r.test]] } : `${name}: ${r.error ?? 'invalid keywords'}`;
  }
  if (typeof v === 'string' || typeof v === 'number') {
    const r = parseFieldTest(null, v);
    return r.test ? { name, alternatives: [[r.test]] } : `${name}: ${r.error ?? 'invalid keyword'}`;
  }
  return `${name}: unsupported search identifier value`;
}

export function parseDetection(d: unknown): DetectionResult {
  const warnings: string[] = [];
  if (!isMap(d)) return { error: 'detection is not a map', warnings };
  const searches: Record<string, Search> = Object.create(null) as Record<string, Search>;
  for (const [name, v] of Object.entries(d)) {
    if (name === 'condition' || name === 'timeframe') continue;
    // A map whose keys all start with '|' is a keyword list with modifiers: `'|all': [a, b]`.
    if (isMap(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('|'))) {
      const tests: FieldTest[] = [];
      for (const [k, vals] of Object.entries(v)) {
        const r = parseFieldTest(k, vals);
        warnings.push(...r.warnings);
        if (!r.test) return { error: `${name}: ${r.error ?? 'invalid keywords'}`, warnings };
        tests.push(r.test);
      }
      searches[name] = { name, alternatives: [tests] };
      continue;
    }
    const s = parseSearch(name, v, warnings);
    if (typeof s === 'string') return { error: s, warnings };
    searches[name] = s;
  }
  if ('timeframe' in d) warnings.push('timeframe is ignored (no aggregation support)');
  const cond = d['condition'];
  const names = Object.keys(searches);
  if (cond === undefined) return { error: 'detection has no condition', warnings };
  const conds = Array.isArray(cond) ? cond : [cond];
  if (conds.length === 0) return { error: 'empty condition list', warnings };
  const nodes: CondNode[] = [];
  for (const c of conds) {
    if (typeof c !== 'string') return { error: 'condition is not a string', warnings };
    const r = parseCondition(c, names);
    if (!r.node) return { error: `condition: ${r.error ?? 'invalid'}`, warnings };
    nodes.push(r.node);
  }
  const condition: CondNode = nodes.length === 1 ? nodes[0]! : { t: 'or', a: nodes };
  return { detection: { searches, condition }, warnings };
}
