// The Sigma condition grammar: and / or / not, parentheses, `1 of x`, `all of x`, `any of x`, `N of x`,
// `them`, and wildcards in search identifier names. Precedence: not > and > or.
// Aggregations (`| count() ...`) are not supported and reported. Never throws: errors are returned.
import type { CondNode } from './types.js';

const MAX_CONDITION_LENGTH = 4096;
const MAX_DEPTH = 64;

type Tok = { k: '(' | ')' | 'and' | 'or' | 'not' | 'of' | 'them' | 'all' | 'any' | 'num' | 'id'; v: string };

function tokenize(s: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ k: c, v: c });
      i++;
      continue;
    }
    if (c === '|') return 'aggregation expressions (| count(), | near ...) are not supported';
    const m = /^[A-Za-z0-9_.*?\-]+/.exec(s.slice(i, i + 512));
    if (!m) return `unexpected character '${c}' in condition`;
    const w = m[0];
    i += w.length;
    const lw = w.toLowerCase();
    if (lw === 'and' || lw === 'or' || lw === 'not' || lw === 'of' || lw === 'them' || lw === 'all' || lw === 'any') out.push({ k: lw, v: w });
    else if (/^\d+$/.test(w)) out.push({ k: 'num', v: w });
    else out.push({ k: 'id', v: w });
  }
  return out;
}

/** Sigma: identifiers starting with '_' are not part of `them`. */
function isThem(name: string): boolean {
  return !name.startsWith('_');
}

function wildcardToRegExp(p: string): RegExp {
  return new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
}

/**
 * Parse a condition against the known search identifiers. `x of pattern` is resolved to the matching
 * names at parse time; a reference to a missing identifier is an error.
 */
export function parseCondition(text: string, names: string[]): { node?: CondNode; error?: string } {
  if (typeof text !== 'string') return { error: 'condition is not a string' };
  if (text.length > MAX_CONDITION_LENGTH) return { error: 'condition too long' };
  const toks = tokenize(text);
  if (typeof toks === 'string') return { error: toks };
  if (toks.length === 0) return { error: 'empty condition' };
  let pos = 0;
  let error: string | undefined;
  const fail = (msg: string): null => {
    error ??= msg;
    return null;
  };
  const peek = (): Tok | undefined => toks[pos];

  const parseOr = (depth: number): CondNode | null => {
    const first = parseAnd(depth);
    if (!first) return null;
    const items = [first];
    while (peek()?.k === 'or') {
      pos++;
      const n = parseAnd(depth);
      if (!n) return null;
      items.push(n);
    }
    return items.length === 1 ? first : { t: 'or', a: items };
  };
  const parseAnd = (depth: number): CondNode | null => {
    const first = parseNot(depth);
    if (!first) return null;
    const items = [first];
    while (peek()?.k === 'and') {
      pos++;
      const n = parseNot(depth);
      if (!n) return null;
      items.push(n);
    }
    return items.length === 1 ? first : { t: 'and', a: items };
  };
  const parseNot = (depth: number): CondNode | null => {
    if (depth > MAX_DEPTH) return fail('condition nested too deeply');
    if (peek()?.k === 'not') {
      pos++;
      const n = parseNot(depth + 1);
      return n ? { t: 'not', a: n } : null;
    }
    return parseAtom(depth);
  };
  const parseAtom = (depth: number): CondNode | null => {
    const t = peek();
    if (!t) return fail('condition ends unexpectedly');
    if (t.k === '(') {
      pos++;
      const n = parseOr(depth + 1);
      if (!n) return null;
      if (peek()?.k !== ')') return fail("missing ')' in condition");
      pos++;
      return n;
    }
    if (t.k === 'num' || t.k === 'all' || t.k === 'any') {
      pos++;
      if (peek()?.k !== 'of') {
        if (t.k === 'num') return ref(t.v); // a selection may be named with digits only
        return fail(`'${t.v}' must be followed by 'of'`);
      }
      pos++;
      const target = peek();
      if (!target || (target.k !== 'them' && target.k !== 'id' && target.k !== 'num')) return fail(`'of' needs a name, a pattern or 'them'`);
      pos++;
      const matched = target.k === 'them' ? names.filter(isThem) : names.filter((n) => wildcardToRegExp(target.v).test(n));
      if (matched.length === 0) return fail(`'${t.v} of ${target.v}' matches no search identifier`);
      const n = t.k === 'all' ? 'all' : t.k === 'any' ? 1 : Number(t.v);
      if (n !== 'all' && (n < 1 || !Number.isFinite(n))) return fail(`invalid quantifier '${t.v} of'`);
      return { t: 'of', n, names: matched };
    }
    if (t.k === 'id' || t.k === 'them') {
      pos++;
      if (t.v.includes('*') || t.v.includes('?')) return fail(`wildcard '${t.v}' is only valid after 'of'`);
      return ref(t.v);
    }
    return fail(`unexpected '${t.v}' in condition`);
  };
  const ref = (name: string): CondNode | null => {
    if (!names.includes(name)) return fail(`condition refers to unknown search identifier '${name}'`);
    return { t: 'ref', name };
  };

  const node = parseOr(0);
  if (!node) return { error: error ?? 'invalid condition' };
  if (pos < toks.length) return { error: `unexpected '${toks[pos]!.v}' in condition` };
  return { node };
}
