// Small seeded PRNG (mulberry32): fast, deterministic across platforms, never Math.random.

export interface Rng {
  /** next uint32 */
  u32(): number;
  /** float in [0, 1) */
  next(): number;
  /** integer in [0, n) */
  int(n: number): number;
  /** integer in [lo, hi] */
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** a child generator whose stream depends only on this one's seed and the label */
  fork(label: string): Rng;
}

export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function makeRng(seed: number): Rng {
  let state = seed >>> 0;
  const u32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => u32() / 4294967296;
  const int = (n: number): number => Math.floor(next() * n);
  return {
    u32,
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from empty list');
      return items[int(items.length)] as T;
    },
    fork: (label) => makeRng(hashString(label, seed >>> 0)),
  };
}

const HEX4: string[] = [];
for (let i = 0; i < 65536; i++) HEX4.push(i.toString(16).padStart(4, '0'));

export function hex8(n: number): string {
  return (HEX4[n >>> 16] as string) + (HEX4[n & 0xffff] as string);
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const GUID_CODES: number[] = new Array<number>(36).fill(45);

/** A random GUID-shaped string (lower-case hex, 8-4-4-4-12), built flat in one allocation (hot path). */
export function guid(r: Rng): string {
  let k = 0;
  for (let j = 0; j < 4; j++) {
    let v = r.u32();
    for (let i = 0; i < 8; i++) {
      if (k === 8 || k === 13 || k === 18 || k === 23) k++;
      GUID_CODES[k++] = HEX_CODES[(v >>> 28) & 15] as number;
      v = (v << 4) >>> 0;
    }
  }
  return String.fromCharCode.apply(null, GUID_CODES);
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export function randomName(r: Rng, len: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[r.int(alphabet.length)];
  return s;
}
