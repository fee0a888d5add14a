// The 're' modifier: Sigma regexes are written for PCRE/Python; translate the common differences to
// JavaScript and flag patterns that can backtrack catastrophically (nested unbounded quantifiers).

import { setFlagsFromString } from 'node:v8';

// V8 can switch a regex that backtracks excessively to its linear-time engine (same results, no
// catastrophic backtracking; patterns with backreferences or lookaround cannot switch). It is a V8 flag,
// process-wide and read when a regex runs; it only changes behaviour for runaway regexes.
try {
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
} catch {
  /* not available: the input caps below still bound the work */
}

export interface RegexResult {
  re?: RegExp;
  slow: boolean;
  error?: string;
}

/** Longest value a regex is run on; longer values are truncated (hostile lines, backtracking bound). */
export const REGEX_INPUT_CAP = 16384;
/** Tighter cap for regexes flagged as slow. */
export const SLOW_REGEX_INPUT_CAP = 1024;

export function compileSigmaRegex(source: string, flags: { i?: boolean; m?: boolean; s?: boolean }): RegexResult {
  let src = source;
  let f = '';
  // Leading inline flags (?i) (?s) (?m) (?ims): JavaScript has no inline modifiers in Node 20.
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  let x = false;
  if (inline) {
    src = src.slice(inline[0].length);
    for (const c of inline[1]!) {
      if (c === 'i') flags = { ...flags, i: true };
      if (c === 'm') flags = { ...flags, m: true };
      if (c === 's') flags = { ...flags, s: true };
      if (c === 'x') x = true;
    }
  }
  if (x) return { slow: false, error: 'regex verbose flag (?x) is not supported' };
  if (/\(\?[imsx-]+[):]/.test(stripClasses(src))) return { slow: false, error: 'regex inline flags inside the pattern are not supported' };
  if (/\(\?>/.test(stripClasses(src))) return { slow: false, error: 'atomic groups (?>...) are not supported in JavaScript regexes' };
  if (hasPossessive(src)) return { slow: false, error: 'possessive quantifiers are not supported in JavaScript regexes' };
  src = src
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\[Zz]$/g, '$');
  if (flags.i) f += 'i';
  if (flags.m) f += 'm';
  if (flags.s) f += 's';
  let re: RegExp;
  try {
    re = new RegExp(src, f);
  } catch (e) {
    return { slow: false, error: `invalid regex: ${(e as Error).message}` };
  }
  return { re, slow: hasNestedQuantifier(src) };
}

/** Remove character classes so that their contents are not mistaken for structure. */
function stripClasses(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      if (!inClass) out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        out += 'C';
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (src[i + 1] === ']') i++;
      if (src[i + 1] === '^' && src[i + 2] === ']') i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * True when an unbounded quantifier applies to a group that itself contains an unbounded quantifier,
 * e.g. (a+)+, (.*x)*, (\w+\s?){2,} — the classic shapes of exponential backtracking.
 */
export function hasNestedQuantifier(src: string): boolean {
  const s = stripClasses(src);
  const stack: boolean[] = []; // per open group: contains an unbounded quantifier
  let lastGroupInner = false; // the item just closed was a group with an unbounded quantifier inside
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      i++;
      lastGroupInner = false;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      lastGroupInner = false;
      continue;
    }
    if (c === ')') {
      lastGroupInner = stack.pop() ?? false;
      if (lastGroupInner && stack.length > 0) stack[stack.length - 1] = true;
      continue;
    }
    const unbounded = c === '*' || c === '+' || (c === '{' && /^\{\d*,\}/.test(s.slice(i)));
    if (unbounded) {
      if (lastGroupInner) return true;
      if (stack.length > 0) stack[stack.length - 1] = true;
    } else if (c === '{' || c === '?') {
      // bounded quantifier on the previous item: a bounded repeat of an unbounded group is still risky
      const m = /^\{(\d+)(,(\d+))?\}/.exec(s.slice(i));
      if (m && lastGroupInner && Number(m[3] ?? m[1]) > 10) return true;
      continue;
    }
    lastGroupInner = false;
  }
  return false;
}

/** A quantifier directly followed by '+' (PCRE possessive), outside classes and escapes. */
function hasPossessive(src: string): boolean {
  const s = stripClasses(src);
  let prevQuant = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      i++;
      prevQuant = false;
      continue;
    }
    if (c === '+' && prevQuant) return true;
    prevQuant = c === '*' || c === '+' || c === '?' || c === '}';
    if (c === '?' && i > 0 && s[i - 1] === '(') prevQuant = false;
  }
  return false;
}
