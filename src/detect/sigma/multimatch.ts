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
  const loopNeedles = useAc ? [] : needles;
  return (v) => {
    if (exact.size && exact.has(v)) return true;
    for (let i = 0; i < prefixes.length; i++) if (v.startsWith(prefixes[i]!)) return true;
    for (let i = 0; i < suffixes.length; i++) if (v.endsWith(suffixes[i]!)) return true;
    if (ac !== null && ac.testString(v)) return true;
    for (let i = 0; i < loopNeedles.length; i++) if (v.includes(loopNeedles[i]!)) return true;
    for (let i = 0; i < others.length; i++) if (others[i]!(v)) return true;
    return false;
  };
}
