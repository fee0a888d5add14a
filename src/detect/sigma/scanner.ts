// Aho-Corasick automaton over the lower-case ASCII literals of a log type's rules. match() uses it to
// evaluate only the rules whose necessary literal occurs in the record; scanners of raw lines can use
// it as the prefilter (bytes, ASCII case-folded on the fly: no lower-cased copy of the line).

/** Characters whose JS toLowerCase() yields ASCII letters: Kelvin sign -> k, dotted capital I -> i. */
const FOLD_EXTRA: Record<number, number> = { 0x212a: 0x6b, 0x130: 0x69 };

export class LiteralScanner {
  readonly literals: string[];
  private readonly cls = new Uint8Array(128);
  private readonly nc: number;
  private readonly delta: Int32Array;
  /** outputs of state s: outIds[outStart[s] .. outStart[s+1]) */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  private readonly extra = new Map<number, number>();

  constructor(literals: string[]) {
    this.literals = literals;
    let nc = 1; // class 0: any character not in a literal
    for (const l of literals)
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if (c < 128 && this.cls[c] === 0) this.cls[c] = nc++;
      }
    for (let c = 65; c <= 90; c++) this.cls[c] = this.cls[c + 32]!; // ASCII upper -> lower
    for (const [k, v] of Object.entries(FOLD_EXTRA)) if (this.cls[v]) this.extra.set(Number(k), this.cls[v]!);
    this.nc = nc;
    // trie
    const next: number[][] = [new Array<number>(nc).fill(-1)];
    const outs: number[][] = [[]];
    literals.forEach((l, id) => {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        const k = c < 128 ? this.cls[c]! : 0;
        let t = next[s]![k]!;
        if (t < 0) {
          t = next.length;
          next.push(new Array<number>(nc).fill(-1));
          outs.push([]);
          next[s]![k] = t;
        }
        s = t;
      }
      outs[s]!.push(id);
    });
    // BFS: failure links folded into a full transition table
    const n = next.length;
    const delta = new Int32Array(n * nc);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let k = 0; k < nc; k++) {
      const t = next[0]![k]!;
      if (t < 0) delta[k] = 0;
      else {
        delta[k] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      outs[s]!.push(...outs[fail[s]!]!);
      for (let k = 0; k < nc; k++) {
        const t = next[s]![k]!;
        if (t < 0) delta[s * nc + k] = delta[fail[s]! * nc + k]!;
        else {
          fail[t] = delta[fail[s]! * nc + k]!;
          delta[s * nc + k] = t;
          queue.push(t);
        }
      }
    }
    this.delta = delta;
    this.outStart = new Int32Array(n + 1);
    let total = 0;
    for (let s = 0; s < n; s++) {
      this.outStart[s] = total;
      total += outs[s]!.length;
    }
    this.outStart[n] = total;
    this.outIds = new Int32Array(total);
    for (let s = 0, o = 0; s < n; s++) for (const id of outs[s]!) this.outIds[o++] = id;
  }

  /** Mark (stamp[id] = gen) every literal that occurs in `s`, case-insensitively. */
  markString(s: string, stamp: Int32Array, gen: number): void {
    const { cls, nc, delta, outStart, outIds, extra } = this;
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const k = c < 128 ? cls[c]! : (extra.get(c) ?? 0);
      st = delta[st * nc + k]!;
      const a = outStart[st]!;
      const b = outStart[st + 1]!;
      for (let j = a; j < b; j++) stamp[outIds[j]!] = gen;
    }
  }

  /** Does any literal occur in bytes [start, end) of `buf` (ASCII case-insensitive)? */
  test(buf: Uint8Array, start = 0, end = buf.length): boolean {
    const { cls, nc, delta, outStart } = this;
    let st = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      st = delta[st * nc + (c < 128 ? cls[c]! : 0)]!;
      if (outStart[st + 1]! > outStart[st]!) return true;
    }
    return false;
  }

  /** Same as test() for a JS string. */
  testString(s: string): boolean {
    const { cls, nc, delta, outStart, extra } = this;
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      st = delta[st * nc + (c < 128 ? cls[c]! : (extra.get(c) ?? 0))]!;
      if (outStart[st + 1]! > outStart[st]!) return true;
    }
    return false;
  }
}
