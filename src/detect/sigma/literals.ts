// Necessary-literal sets for the prefilter: a set S such that every matching raw line contains at least
// one member of S (lower-cased). null = no such set. AND keeps the best child set, OR unions them.

import { LiteralScanner } from './scanner.js';

export type LitSet = string[] | null;

/** Shortest literal worth keeping: shorter ones are everywhere in logs. */
export const MIN_LITERAL = 3;

/**
 * Rough probability that a set matches a random line. Every extra character makes a literal several
 * times rarer, so one short literal ('post') costs more than ten long ones. Lower is better.
 */
export function litCost(s: string[]): number {
  let c = 0;
  for (const l of s) c += 3 ** -Math.min(l.length, 24);
  return c;
}

/** Remove duplicates and literals that contain another member (the shorter one is implied). */
export function minimise(s: string[]): string[] {
  const u = [...new Set(s)].sort((a, b) => a.length - b.length);
  if (u.length > 64) return minimiseLarge(u);
  const out: string[] = [];
  for (const l of u) if (!out.some((o) => l.includes(o))) out.push(l);
  return out;
}

/** minimise() for thousands of literals (a log type's union): one automaton pass per literal. */
function minimiseLarge(u: string[]): string[] {
  const scanner = new LiteralScanner(u);
  const stamp = new Int32Array(u.length);
  const found: number[] = [];
  const out: string[] = [];
  u.forEach((l, i) => {
    found.length = 0;
    scanner.markString(l, stamp, i + 1, found);
    // l contains another, different literal (ids are unique strings, so any other id found is shorter or equal-length different)
    if (!found.some((id) => id !== i)) out.push(l);
  });
  return out;
}

export function unionLits(sets: LitSet[]): LitSet {
  const out: string[] = [];
  for (const s of sets) {
    if (s === null) return null;
    out.push(...s);
  }
  return out.length ? minimise(out) : null;
}

export function bestLits(sets: LitSet[]): LitSet {
  let best: string[] | null = null;
  let bestCost = Infinity;
  for (const s of sets) {
    if (!s || s.length === 0) continue;
    const c = litCost(s);
    if (c < bestCost) {
      best = s;
      bestCost = c;
    }
  }
  return best;
}

/**
 * Longest piece of `s` after cutting at any of `cut` characters and at every non-ASCII character (so
 * that the literal holds whether the scanner lower-cases ASCII only or full Unicode); null when shorter
 * than MIN_LITERAL.
 */
export function longestPiece(s: string, cut: string, min = MIN_LITERAL): string | null {
  let best = '';
  let cur = '';
  for (const ch of s) {
    if (cut.includes(ch) || ch.charCodeAt(0) > 127) {
      if (cur.length > best.length) best = cur;
      cur = '';
    } else cur += ch;
  }
  if (cur.length > best.length) best = cur;
  return best.length >= min ? best : null;
}

/**
 * A literal every match of a regular expression must contain: the longest run of plain characters at the
 * top level of a pattern without top-level alternation (for the OWASSRF URL pattern
 * '^/owa/[^/]+(@|%40)[^/]+/powershell' it is '/powershell'). null when there is none, or the pattern is beyond this conservative reading.
 */
export function regexLiteral(source: string, cut: string): string | null {
  const runs: string[] = [];
  let cur = '';
  const end = (): void => {
    if (cur) runs.push(cur);
    cur = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '|') return null; // top-level alternation: no single literal is required
    if (ch === '[') {
      // a character class: one of several characters, never part of a literal run
      end();
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) return null;
      i = j;
      continue;
    }
    if (ch === '(') {
      // a group: optional or a choice as far as this reading goes
      end();
      let depth = 0;
      let j = i;
      for (; j < source.length; j++) {
        const c = source[j]!;
        if (c === '\\') { j++; continue; }
        if (c === '[') { j++; while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1; continue; }
        if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
      if (j >= source.length) return null;
      i = j;
      continue;
    }
    const q = ch === '{' ? /^\{(\d+)(?:,\d*)?\}/.exec(source.slice(i, i + 24)) : null;
    if (ch === '*' || ch === '?' || (q && Number(q[1]) === 0)) {
      cur = cur.slice(0, -1); // the quantified character may be absent
      end();
      if (q) i += q[0].length - 1;
      continue;
    }
    if (ch === '+' || q) {
      end();
      if (q) i += q[0].length - 1;
      continue;
    }
    if (ch === '^' || ch === '$' || ch === '.') { end(); continue; }
    if (ch === '\\') {
      const n = source[i + 1];
      if (n === undefined) return null;
      i++;
      if (/[A-Za-z0-9]/.test(n)) {
        // \d, \w, \x41, \u0041, \cJ, \k<name>, \p{L}, back-references: not plain, and their payload
        // ('41' of \x41) is not plain text either
        end();
        if (n === 'x') i += 2;
        else if (n === 'u') i += source[i + 1] === '{' ? source.indexOf('}', i) - i : 4;
        else if (n === 'c') i += 1;
        else if (n === 'k' && source[i + 1] === '<') i = source.indexOf('>', i);
        else if ((n === 'p' || n === 'P') && source[i + 1] === '{') i = source.indexOf('}', i);
        else if (/[0-9]/.test(n)) while (/[0-9]/.test(source[i + 1] ?? '')) i++;
        if (i < 0) return null;
        continue;
      }
      cur += n;
      continue;
    }
    cur += ch;
  }
  end();
  let best: string | null = null;
  for (const r of runs) {
    const piece = longestPiece(r.toLowerCase(), cut);
    if (piece && (!best || piece.length > best.length)) best = piece;
  }
  return best;
}

/**
 * A conjunction of literal clauses: a raw line can match only if every clause has a member in it.
 * Unlike the prefilter set, clauses may hold short literals ('$'): they confirm a candidate line
 * cheaply before it is parsed, they do not find it.
 */
export type Cnf = string[][];

export function andCnf(parts: Cnf[]): Cnf {
  return parts.flat();
}

/** An OR of conjunctions: one clause made of each side's most selective clause (none if a side has none). */
export function orCnf(parts: Cnf[]): Cnf {
  if (parts.length === 1) return parts[0]!;
  const picks: string[] = [];
  for (const p of parts) {
    if (p.length === 0) return [];
    let best = p[0]!;
    for (const c of p) if (litCost(c) < litCost(best)) best = c;
    picks.push(...best);
  }
  return picks.length ? [[...new Set(picks)]] : [];
}

/** Does the lower-cased line satisfy every clause? */
export function cnfHolds(cnf: Cnf, line: string): boolean {
  for (const clause of cnf) {
    let ok = false;
    for (const l of clause) if (line.includes(l)) { ok = true; break; }
    if (!ok) return false;
  }
  return true;
}
