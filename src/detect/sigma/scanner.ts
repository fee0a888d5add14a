// Aho-Corasick automaton over the lower-case ASCII literals of a log type's rules. match() uses it to
// evaluate only the rules whose necessary literal occurs in the record; scanners of raw lines can use
// it as the prefilter (bytes, ASCII case-folded on the fly: no lower-cased copy of the line).
// Memory and build time stay linear in the literals (thousands of Windows rules): typed arrays only;
// the root and its children have dense transition rows, deeper states sparse child lists and failure
// links; outputs follow dictionary-suffix links instead of copied lists.

/** Characters whose JS toLowerCase() yields ASCII letters: Kelvin sign -> k, dotted capital I -> i. */
const FOLD_EXTRA: Record<number, number> = { 0x212a: 0x6b, 0x130: 0x69 };

export class LiteralScanner {
  readonly literals: string[];
  private readonly cls = new Uint8Array(128);
  private readonly nc: number;
  /** dense rows: dense[row * nc + k] for states with denseRow[s] >= 0 (root is row 0) */
  private readonly dense: Int32Array;
  private readonly denseRow: Int32Array;
  /** sparse children of state s: childCls/childTo[childStart[s] .. childStart[s + 1]) */
  private readonly childStart: Int32Array;
  private readonly childCls: Uint8Array;
  private readonly childTo: Int32Array;
  private readonly fail: Int32Array;
  /** literal id ending at state s, or -1 */
  private readonly own: Int32Array;
  /** nearest state on the failure chain with an own literal, or -1 */
  private readonly dict: Int32Array;
  private readonly extra = new Map<number, number>();

  constructor(literals: string[]) {
    this.literals = literals;
    let nc = 1; // class 0: any character not in a literal
    let chars = 0;
    for (const l of literals) {
      chars += l.length;
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if (c < 128 && this.cls[c] === 0) this.cls[c] = nc++;
      }
    }
    for (let c = 65; c <= 90; c++) if (this.cls[c + 32]) this.cls[c] = this.cls[c + 32]!; // ASCII upper -> lower
    for (const [k, v] of Object.entries(FOLD_EXTRA)) if (this.cls[v]) this.extra.set(Number(k), this.cls[v]!);
    this.nc = nc;

    // trie in first-child / next-sibling lists; the root's children in a dense row
    const cap = chars + 1;
    const firstChild = new Int32Array(cap).fill(-1);
    const nextSib = new Int32Array(cap).fill(-1);
    const stateCls = new Uint8Array(cap);
    const depth = new Int32Array(cap);
    const own = new Int32Array(cap).fill(-1);
    const rootRow = new Int32Array(nc).fill(-1);
    let n = 1;
    const child = (s: number, k: number): number => {
      if (s === 0) return rootRow[k]!;
      for (let c = firstChild[s]!; c >= 0; c = nextSib[c]!) if (stateCls[c] === k) return c;
      return -1;
    };
    literals.forEach((l, id) => {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        const k = c < 128 ? this.cls[c]! : 0;
        let t = child(s, k);
        if (t < 0) {
          t = n++;
          stateCls[t] = k;
          depth[t] = depth[s]! + 1;
          if (s === 0) rootRow[k] = t;
          nextSib[t] = firstChild[s]!;
          firstChild[s] = t;
        }
        s = t;
      }
      if (own[s]! < 0) own[s] = id;
    });
    const fail = new Int32Array(n);
    const dict = new Int32Array(n).fill(-1);
    const step = (s: number, k: number): number => {
      for (;;) {
        const t = child(s, k);
        if (t >= 0) return t;
        if (s === 0) return 0;
        s = fail[s]!;
      }
    };
    // BFS over states: failure and dictionary links
    const queue = new Int32Array(n);
    let qn = 0;
    for (let c = firstChild[0]!; c >= 0; c = nextSib[c]!) queue[qn++] = c;
    for (let qi = 0; qi < qn; qi++) {
      const s = queue[qi]!;
      for (let t = firstChild[s]!; t >= 0; t = nextSib[t]!) {
        const f = step(fail[s]!, stateCls[t]!);
        fail[t] = f;
        dict[t] = own[f]! >= 0 ? f : dict[f]!;
        queue[qn++] = t;
      }
    }
    this.fail = fail;
    this.own = own.subarray(0, n);
    this.dict = dict;
    const denseRow = new Int32Array(n).fill(-1);
    let rows = 0;
    for (let s = 0; s < n; s++) if (depth[s]! <= 1) denseRow[s] = rows++;
    const dense = new Int32Array(rows * nc);
    for (let s = 0; s < n; s++) {
      const r = denseRow[s]!;
      if (r >= 0) for (let k = 0; k < nc; k++) dense[r * nc + k] = step(s, k);
    }
    this.dense = dense;
    this.denseRow = denseRow;
    // sparse children as flat arrays
    this.childStart = new Int32Array(n + 1);
    const childCls = new Uint8Array(Math.max(n - 1, 0));
    const childTo = new Int32Array(Math.max(n - 1, 0));
    let o = 0;
    for (let s = 0; s < n; s++) {
      this.childStart[s] = o;
      for (let c = firstChild[s]!; c >= 0; c = nextSib[c]!) {
        childCls[o] = stateCls[c]!;
        childTo[o++] = c;
      }
    }
    this.childStart[n] = o;
    this.childCls = childCls;
    this.childTo = childTo;
  }

  private next(st: number, k: number): number {
    const { dense, denseRow, childStart, childCls, childTo, fail, nc } = this;
    for (;;) {
      const r = denseRow[st]!;
      if (r >= 0) return dense[r * nc + k]!;
      const a = childStart[st]!;
      const b = childStart[st + 1]!;
      for (let i = a; i < b; i++) if (childCls[i] === k) return childTo[i]!;
      st = fail[st]!;
    }
  }

  private clsOf(c: number): number {
    return c < 128 ? this.cls[c]! : (this.extra.get(c) ?? 0);
  }

  /** Mark (stamp[id] = gen) every literal that occurs in `s`, case-insensitively; newly marked ids are pushed to `found`. */
  markString(s: string, stamp: Int32Array, gen: number, found?: number[]): void {
    const { own, dict } = this;
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      st = this.next(st, this.clsOf(s.charCodeAt(i)));
      for (let d = own[st]! >= 0 ? st : dict[st]!; d >= 0; d = dict[d]!) {
        const id = own[d]!;
        if (stamp[id] !== gen) {
          stamp[id] = gen;
          found?.push(id);
        }
      }
    }
  }

  /** Does any literal occur in bytes [start, end) of `buf` (ASCII case-insensitive)? */
  test(buf: Uint8Array, start = 0, end = buf.length): boolean {
    const { cls, own, dict } = this;
    let st = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      st = this.next(st, c < 128 ? cls[c]! : 0);
      if (own[st]! >= 0 || dict[st]! >= 0) return true;
    }
    return false;
  }

  /** Same as test() for a JS string. */
  testString(s: string): boolean {
    const { own, dict } = this;
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      st = this.next(st, this.clsOf(s.charCodeAt(i)));
      if (own[st]! >= 0 || dict[st]! >= 0) return true;
    }
    return false;
  }
}
