// Case-insensitive search for many literals at once over raw log bytes, so only lines that can match a
// rule get parsed. Each literal is anchored on its rarest byte pairs (frequencies sampled from the file
// itself). The scan reads the bytes two at a time as 16-bit words, looks each word up in a 64 Ki table
// that holds every upper/lower-case spelling of the anchors, and verifies the few candidates.

const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 65 && i <= 90 ? i + 32 : i;

export interface LiteralFilter {
  /**
   * Calls onHit(pos, literal) for each literal occurrence found at or after `from`; onHit returns where to
   * resume (the end of the line to report each line once, or just past the hit to see every literal in it).
   */
  scan(buf: Uint8Array, from: number, end: number, onHit: (pos: number, literal: string) => number): void;
  readonly literals: readonly string[];
}

interface Anchor {
  lit: Uint8Array;
  text: string;
  /** offset of the anchor pair inside the literal */
  at: number;
}

export function compileLiteralFilter(literals: readonly string[], sample?: Uint8Array): LiteralFilter {
  const lits = [...new Set(literals.map((l) => l.toLowerCase()).filter((l) => l.length >= 3))];
  const freq = new Uint32Array(65536);
  if (sample) for (let i = 0; i + 1 < sample.length; i++) freq[(FOLD[sample[i]!]! << 8) | FOLD[sample[i + 1]!]!]!++;
  const cost = (lit: Uint8Array, k: number): number =>
    sample ? freq[(lit[k]! << 8) | lit[k + 1]!]! : (isLetter(lit[k]!) ? 2 : 0) + (isLetter(lit[k + 1]!) ? 2 : 0);
  const table = new Int32Array(65536).fill(-1);
  const buckets: Anchor[][] = [];
  const add = (lit: Uint8Array, text: string, at: number): void => {
    // the table is indexed by the raw little-endian word (first byte low): one entry per case spelling
    for (const a of caseVariants(lit[at]!)) {
      for (const b of caseVariants(lit[at + 1]!)) {
        const key = a | (b << 8);
        if (table[key] === -1) { table[key] = buckets.length; buckets.push([]); }
        const bucket = buckets[table[key]!]!;
        if (!bucket.some((x) => x.lit === lit && x.at === at)) bucket.push({ lit, text, at });
      }
    }
  };
  for (const s of lits) {
    const lit = Buffer.from(s, 'latin1');
    for (let i = 0; i < lit.length; i++) lit[i] = FOLD[lit[i]!]!;
    // The scan looks at every other position, so each literal is anchored on two adjacent pairs
    // (offsets k and k+1): one of them starts at an even position wherever the literal occurs.
    let at = 0;
    let best = Infinity;
    for (let k = 0; k + 2 < lit.length; k++) {
      const f = cost(lit, k) + cost(lit, k + 1);
      if (f < best) { best = f; at = k; }
    }
    add(lit, s, at);
    add(lit, s, at + 1);
  }

  function scan(buf: Uint8Array, from: number, end: number, onHit: (pos: number, literal: string) => number): void {
    // 16-bit reads need an even byte offset: a view over the aligned part, or byte pairs where there is none
    const words = (buf.byteOffset & 1) === 0 ? new Uint16Array(buf.buffer, buf.byteOffset, buf.length >>> 1) : null;
    let i = from;
    const last = end - 1;
    while (i < last) {
      let b: number;
      if (words !== null) {
        // Only one parity of positions needs looking at (every literal has an anchor pair at each parity).
        if ((i & 1) === 1) i++;
        // the hot loop: one word load and one table load per two bytes
        let w = i >>> 1;
        const lastWord = last >>> 1;
        while (w < lastWord && table[words[w]!] === -1) w++;
        i = w << 1;
        if (i >= last) break;
        b = table[words[w]!]!;
      } else {
        b = table[buf[i]! | (buf[i + 1]! << 8)]!;
      }
      if (b === -1) { i += 2; continue; }
      // every anchor of this word is checked: two literals can share an anchor position
      let next = -1;
      for (const a of buckets[b]!) {
        const st = i - a.at;
        const lit = a.lit;
        if (st < from || st + lit.length > end) continue;
        let j = 0;
        while (j < lit.length && FOLD[buf[st + j]!] === lit[j]) j++;
        if (j === lit.length) next = Math.max(next, onHit(st, a.text));
      }
      if (next === -1) { i += 2; continue; }
      i = next > i ? next : i + 2;
    }
  }
  return { scan, literals: lits };
}

/** The byte as written in either case (ASCII letters), for the lookup table. */
function caseVariants(c: number): number[] {
  return c >= 97 && c <= 122 ? [c, c - 32] : [c];
}

function isLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}
