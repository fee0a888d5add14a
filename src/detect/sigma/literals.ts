// Necessary-literal sets for the prefilter: a set S such that every matching raw line contains at least
// one member of S (lower-cased). null = no such set. AND keeps the best child set, OR unions them.

export type LitSet = string[] | null;

/** Shortest literal worth keeping: shorter ones are everywhere in logs. */
export const MIN_LITERAL = 3;

/** Rough probability that a set matches a random line: short literals are common. Lower is better. */
export function litCost(s: string[]): number {
  let c = 0;
  for (const l of s) c += 1 / (Math.min(l.length, 32) ** 2);
  return c;
}

/** Remove duplicates and literals that contain another member (the shorter one is implied). */
export function minimise(s: string[]): string[] {
  const u = [...new Set(s)].sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const l of u) if (!out.some((o) => l.includes(o))) out.push(l);
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
export function longestPiece(s: string, cut: string): string | null {
  let best = '';
  let cur = '';
  for (const ch of s) {
    if (cut.includes(ch) || ch.charCodeAt(0) > 127) {
      if (cur.length > best.length) best = cur;
      cur = '';
    } else cur += ch;
  }
  if (cur.length > best.length) best = cur;
  return best.length >= MIN_LITERAL ? best : null;
}
