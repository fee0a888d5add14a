// One test for many glob variants of the same value (long OR lists such as SigmaHQ's user-agent lists):
// exact values in a Set, prefixes/suffixes in short loops, many contains-needles in one Aho-Corasick pass.
import { compileGlob, type StrTest } from './pattern.js';
import { LiteralScanner } from './scanner.js';
import type { Part } from './types.js';

/** From this many contains-needles on, one automaton pass beats a loop of includes(). */
const AC_THRESHOLD = 6;

const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

export function compileVariants(variants: Part[][], cased: boolean): StrTest {
  if (variants.length === 1) return compileGlob(variants[0]!);
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const needles: string[] = [];
  const others: StrTest[] = [];
  let any = false;
  for (const v of variants) {
    const [a, b, c] = v;
    if (v.length === 0) exact.add('');
    else if (v.length === 1 && a!.t === 'lit') exact.add(a!.s);
    else if (v.length === 1 && a!.t === 'star') any = true;
    else if (v.length === 2 && a!.t === 'lit' && b!.t === 'star') prefixes.push(a!.s);
    else if (v.length === 2 && a!.t === 'star' && b!.t === 'lit') suffixes.push(b!.s);
    else if (v.length === 3 && a!.t === 'star' && b!.t === 'lit' && c!.t === 'star') needles.push(b!.s);
    else others.push(compileGlob(v));
  }
  if (any) return () => true;
  // The automaton folds ASCII case, so it only serves values that are lower-cased already (not cased).
  const useAc = !cased && needles.length >= AC_THRESHOLD && needles.every(isAscii);
  const ac = useAc ? new LiteralScanner(needles) : null;
  // many needles that the automaton cannot take (non-ASCII such as emoji, or exact case): bucket them by
  // their first two code units and probe the buckets once per position
  const bucketed = !useAc && needles.length >= AC_THRESHOLD ? bucket(needles) : null;
  const loopNeedles = useAc || bucketed ? [] : needles;
  return (v) => {
    if (exact.size && exact.has(v)) return true;
    for (let i = 0; i < prefixes.length; i++) if (v.startsWith(prefixes[i]!)) return true;
    for (let i = 0; i < suffixes.length; i++) if (v.endsWith(suffixes[i]!)) return true;
    if (ac !== null && ac.testString(v)) return true;
    if (bucketed !== null && bucketed(v)) return true;
    for (let i = 0; i < loopNeedles.length; i++) if (v.includes(loopNeedles[i]!)) return true;
    for (let i = 0; i < others.length; i++) if (others[i]!(v)) return true;
    return false;
  };
}

function bucket(needles: string[]): StrTest {
  const singles = new Set<number>();
  const pairs = new Map<number, string[]>();
  for (const n of needles) {
    if (n.length === 1) singles.add(n.charCodeAt(0));
    else {
      const key = (n.charCodeAt(0) << 16) | n.charCodeAt(1);
      const b = pairs.get(key);
      if (b) b.push(n);
      else pairs.set(key, [n]);
    }
  }
  // needles that all start above ASCII (emoji lists) skip ASCII positions without a lookup
  let minFirst = 0xffff;
  for (const n of needles) minFirst = Math.min(minFirst, n.charCodeAt(0));
  return (v) => {
    const last = v.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = v.charCodeAt(i);
      if (c < minFirst) continue;
      if (singles.size && singles.has(c)) return true;
      if (i === last) break;
      const b = pairs.get((c << 16) | v.charCodeAt(i + 1));
      if (b !== undefined) for (let j = 0; j < b.length; j++) if (v.startsWith(b[j]!, i)) return true;
    }
    return false;
  };
}
