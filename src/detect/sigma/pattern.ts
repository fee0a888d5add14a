// Plain Sigma values: wildcard parsing (with backslash escapes) and a linear-ish glob matcher.
// Escaping follows the Sigma specification (and pySigma): '\*', '\?' and '\\' are literal '*', '?', '\';
// a backslash before any other character is a literal backslash.
import type { Part } from './types.js';

/** Parse a plain value into parts. With `placeholders`, `%name%` becomes a placeholder part. */
export function parseValue(s: string, placeholders = false): Part[] {
  const parts: Part[] = [];
  let acc = '';
  const flush = (): void => {
    if (acc) parts.push({ t: 'lit', s: acc });
    acc = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        acc += n;
        i++;
      } else acc += c;
    } else if (c === '*') {
      flush();
      if (parts[parts.length - 1]?.t !== 'star') parts.push({ t: 'star' });
    } else if (c === '?') {
      flush();
      parts.push({ t: 'one' });
    } else if (placeholders && c === '%') {
      const end = s.indexOf('%', i + 1);
      const name = end > i + 1 ? s.slice(i + 1, end) : '';
      if (name && /^[A-Za-z0-9_.-]+$/.test(name)) {
        flush();
        parts.push({ t: 'ph', name });
        i = end;
      } else acc += c;
    } else acc += c;
  }
  flush();
  return normalize(parts);
}

/** Merge adjacent literals and stars. */
export function normalize(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.t === 'lit') {
      if (!p.s) continue;
      if (last?.t === 'lit') out[out.length - 1] = { t: 'lit', s: last.s + p.s };
      else out.push(p);
    } else if (p.t === 'star' && last?.t === 'star') continue;
    else out.push(p);
  }
  return out;
}

export function hasWildcards(parts: Part[]): boolean {
  return parts.some((p) => p.t !== 'lit');
}

export function literalText(parts: Part[]): string {
  let s = '';
  for (const p of parts) if (p.t === 'lit') s += p.s;
  return s;
}

export function mapLiterals(parts: Part[], f: (s: string) => string): Part[] {
  return normalize(parts.map((p) => (p.t === 'lit' ? { t: 'lit', s: f(p.s) } : p)));
}

/** A test of one (already case-folded as needed) string value. */
export type StrTest = (v: string) => boolean;

interface Segment {
  s: string;
  /** positions that are '?' wildcards, or null when there are none */
  any: boolean[] | null;
}

function segAt(v: string, at: number, seg: Segment): boolean {
  if (at < 0 || at + seg.s.length > v.length) return false;
  if (!seg.any) return v.startsWith(seg.s, at);
  for (let i = 0; i < seg.s.length; i++) if (!seg.any[i] && v.charCodeAt(at + i) !== seg.s.charCodeAt(i)) return false;
  return true;
}

function segFind(v: string, from: number, seg: Segment): number {
  if (!seg.any) return v.indexOf(seg.s, from);
  for (let at = from; at + seg.s.length <= v.length; at++) if (segAt(v, at, seg)) return at;
  return -1;
}

/**
 * Compile parts (without placeholders) into a test. Pure literals use ===, startsWith, endsWith or
 * includes; anything else a greedy segment matcher (no regex, no backtracking: O(len(v) * len(pattern))).
 */
export function compileGlob(parts: Part[]): StrTest {
  const p = normalize(parts);
  if (p.length === 0) return (v) => v.length === 0;
  const only = p.length === 1 ? p[0]! : null;
  if (only?.t === 'lit') {
    const s = only.s;
    return (v) => v === s;
  }
  if (only?.t === 'star') return () => true;
  if (p.length === 2 && p[0]!.t === 'lit' && p[1]!.t === 'star') {
    const s = (p[0] as { s: string }).s;
    return (v) => v.startsWith(s);
  }
  if (p.length === 2 && p[0]!.t === 'star' && p[1]!.t === 'lit') {
    const s = (p[1] as { s: string }).s;
    return (v) => v.endsWith(s);
  }
  if (p.length === 3 && p[0]!.t === 'star' && p[1]!.t === 'lit' && p[2]!.t === 'star') {
    const s = (p[1] as { s: string }).s;
    return (v) => v.includes(s);
  }
  // General case: segments separated by stars; '?' is a one-character hole inside a segment.
  const segs: Segment[] = [];
  let cur: Segment = { s: '', any: null };
  const anchoredStart = p[0]!.t !== 'star';
  const anchoredEnd = p[p.length - 1]!.t !== 'star';
  for (const x of p) {
    if (x.t === 'star') {
      segs.push(cur);
      cur = { s: '', any: null };
    } else if (x.t === 'lit') {
      if (cur.any) for (let i = 0; i < x.s.length; i++) cur.any.push(false);
      cur.s += x.s;
    } else {
      // '?' (placeholders are resolved before compiling; treat any leftover as one char)
      if (!cur.any) cur.any = Array.from({ length: cur.s.length }, () => false);
      cur.any.push(true);
      cur.s += '?';
    }
  }
  segs.push(cur);
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  const middle = segs.slice(1, -1).filter((s) => s.s.length > 0);
  const minLen = segs.reduce((n, s) => n + s.s.length, 0);
  if (segs.length === 1) return (v) => v.length === first.s.length && segAt(v, 0, first);
  return (v) => {
    if (v.length < minLen) return false;
    let pos = 0;
    if (anchoredStart) {
      if (!segAt(v, 0, first)) return false;
      pos = first.s.length;
    }
    let end = v.length;
    if (anchoredEnd) {
      end = v.length - last.s.length;
      if (end < pos || !segAt(v, end, last)) return false;
    }
    for (const seg of middle) {
      const at = segFind(v, pos, seg);
      if (at < 0 || at + seg.s.length > end) return false;
      pos = at + seg.s.length;
    }
    return true;
  };
}

/** Reference semantics (for tests): the same glob as an anchored regular expression. */
export function globToRegExp(parts: Part[], flags = 's'): RegExp {
  let src = '';
  for (const x of parts) {
    if (x.t === 'lit') src += x.s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
    else if (x.t === 'star') src += '.*';
    else src += '.';
  }
  return new RegExp(`^${src}$`, flags);
}
