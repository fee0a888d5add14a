// Binary XML decoder for one EVTX chunk: tokens -> a small node tree with substitution placeholders.
// Template definitions are decoded once per chunk and cached by their chunk offset; names likewise.
// Every read is bounds-checked and every loop is bounded: the bytes may have been written by an attacker.
import { VT, formatArray, formatScalar, hexUpper, formatGuid, wellFormed } from './values.js';

export const K_ELEM = 0;
export const K_TEXT = 1;
export const K_SUBST = 2;
export const K_CHARREF = 3;
export const K_ENTITY = 4;
export const K_CDATA = 5;
export const K_PI = 6;
export const K_INSTANCE = 7;

/** dep: index of the substitution this element depends on (omitted when that value is absent), or -1 */
export interface BxElem { k: 0; name: string; dep: number; attrs: BxAttr[]; children: BxNode[] }
export interface BxAttr { name: string; parts: BxNode[] }
export interface BxText { k: 1; text: string }
export interface BxSubst { k: 2; id: number; optional: boolean; type: number }
export interface BxCharRef { k: 3; code: number }
export interface BxEntity { k: 4; name: string }
export interface BxCData { k: 5; text: string }
export interface BxPI { k: 6; target: string; data: string }
export interface BxInstance { k: 7; template: BxTemplate; values: Value[] }
export type BxNode = BxElem | BxText | BxSubst | BxCharRef | BxEntity | BxCData | BxPI | BxInstance;

export interface BxTemplate { offset: number; guid: string; nodes: BxNode[] }

/** A decoded substitution value: null (absent), text, an array's items, or embedded binary XML. */
export type Value = null | string | string[] | BxNode[];

export class BinXmlError extends Error {}

function fail(msg: string): never {
  throw new BinXmlError(msg);
}

const MAX_DEPTH = 64; // nesting of elements plus embedded documents
const MAX_NODES = 100_000; // per record: a 64 KiB chunk cannot honestly describe more

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
export function entityText(name: string): string {
  return ENTITIES[name] ?? '&' + name + ';';
}

export class ChunkDecoder {
  private readonly names = new Map<number, string>();
  /** null marks a template being decoded: meeting it again is a loop */
  private readonly templates = new Map<number, BxTemplate | null>();
  private nodes = 0;

  constructor(readonly b: Buffer) {}

  /** Decode one record's binary XML at [start, end). */
  decodeRecord(start: number, end: number): BxNode[] {
    this.nodes = 0;
    return this.fragment(start, end, 0).nodes;
  }

  get templateCount(): number {
    return this.templates.size;
  }

  private u16(p: number): number {
    if (p + 2 > this.b.length) fail(`read past chunk end at ${p}`);
    return this.b.readUInt16LE(p);
  }

  private u32(p: number): number {
    if (p + 4 > this.b.length) fail(`read past chunk end at ${p}`);
    return this.b.readUInt32LE(p);
  }

  private name(off: number): string {
    const hit = this.names.get(off);
    if (hit !== undefined) return hit;
    const n = this.u16(off + 6);
    const end = off + 8 + n * 2;
    if (end > this.b.length) fail(`name at ${off} runs past chunk end`);
    const s = wellFormed(this.b.toString('utf16le', off + 8, end));
    this.names.set(off, s);
    return s;
  }

  /** A name reference at p: returns [name, position after it], skipping an inline name definition. */
  private nameRef(p: number): [string, number] {
    const off = this.u32(p);
    p += 4;
    const name = this.name(off);
    if (off === p) p += 10 + name.length * 2;
    return [name, p];
  }

  private count(): void {
    if (++this.nodes > MAX_NODES) fail('too many nodes in record');
  }

  private template(off: number, depth: number): BxTemplate {
    const hit = this.templates.get(off);
    if (hit === null) fail(`template at ${off} refers to itself`);
    if (hit !== undefined) return hit;
    if (off < 512 || off + 24 > this.b.length) fail(`template offset ${off} outside chunk`);
    const size = this.u32(off + 20);
    const end = off + 24 + size;
    if (end > this.b.length) fail(`template at ${off} size ${size} runs past chunk end`);
    this.templates.set(off, null);
    const saved = this.nodes;
    let t: BxTemplate;
    try {
      t = { offset: off, guid: formatGuid(this.b, off + 4), nodes: this.fragment(off + 24, end, depth + 1).nodes };
    } catch (e) {
      this.templates.delete(off);
      throw e;
    }
    this.nodes = saved;
    this.templates.set(off, t);
    return t;
  }

  private value(type: number, p: number, size: number, depth: number): Value {
    if (type === VT.Null || size === 0) return null;
    if (type === VT.BinXml) return this.fragment(p, p + size, depth + 1).nodes;
    if (type & VT.Array) {
      const items = formatArray(this.b, type & 0x7f, p, size);
      return items ?? hexUpper(this.b, p, p + size);
    }
    return formatScalar(this.b, type, p, size) ?? hexUpper(this.b, p, p + size);
  }

  private instance(p: number, end: number, depth: number): [BxInstance, number] {
    // 0x0c, unknown u8, template id u32, definition offset u32
    const defOff = this.u32(p + 6);
    p += 10;
    if (defOff === p) {
      // definition stored inline: next-offset u32, GUID, data size u32, data
      const size = this.u32(p + 20);
      p += 24 + size;
    }
    const template = this.template(defOff, depth);
    const n = this.u32(p);
    p += 4;
    if (n * 4 > end - p) fail(`substitution count ${n} does not fit the record`);
    const descs = p;
    p += n * 4;
    const values: Value[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const size = this.b.readUInt16LE(descs + i * 4);
      const type = this.b[descs + i * 4 + 2]!;
      if (p + size > end) fail(`substitution ${i} (${size} bytes) runs past the record`);
      values[i] = this.value(type, p, size, depth);
      p += size;
    }
    return [{ k: K_INSTANCE, template, values }, p];
  }

  /**
   * Decode tokens from p until the end-of-fragment token or `end` (a record, a template definition, or
   * binary XML carried in a substitution value).
   */
  fragment(p: number, end: number, depth: number): { nodes: BxNode[]; end: number } {
    if (depth > MAX_DEPTH) fail('binary XML nested too deeply');
    const b = this.b;
    if (end > b.length) end = b.length;
    const root: BxNode[] = [];
    const stack: BxElem[] = [];
    let attr: BxAttr | null = null;
    const add = (n: BxNode): void => {
      this.count();
      if (attr) attr.parts.push(n);
      else if (stack.length) stack[stack.length - 1]!.children.push(n);
      else root.push(n);
    };
    while (p < end) {
      const tok = b[p]!;
      switch (tok & 0xbf) {
        case 0x00:
          return { nodes: root, end: p + 1 };
        case 0x0f: // fragment header: major, minor, flags
          p += 4;
          break;
        case 0x0c: {
          if (tok !== 0x0c) fail(`bad token 0x${tok.toString(16)} at ${p}`);
          const [inst, q] = this.instance(p, end, depth);
          add(inst);
          p = q;
          break;
        }
        case 0x01: {
          if (stack.length + depth >= MAX_DEPTH * 4) fail('elements nested too deeply');
          const hasAttrs = (tok & 0x40) !== 0;
          let q = p + 1;
          // dependency identifier u16, data size u32, name offset u32; binary XML embedded in a value has been
          // seen without the first (omerbenamram/evtx handles both), so the layout that fits wins
          let withDep = true;
          const fits = (dep: boolean): boolean => {
            const at = q + (dep ? 2 : 0);
            if (at + 8 > end) return false;
            const size = b.readUInt32LE(at);
            const nameOff = b.readUInt32LE(at + 4);
            return size <= end - at && nameOff < b.length;
          };
          if (!fits(withDep) && fits(!withDep)) withDep = !withDep;
          let dep = -1;
          if (withDep) {
            dep = b.readUInt16LE(q);
            if (dep === 0xffff) dep = -1;
            q += 2;
          }
          q += 4;
          const [name, r] = this.nameRef(q);
          q = hasAttrs ? r + 4 : r;
          const el: BxElem = { k: K_ELEM, name, dep, attrs: [], children: [] };
          attr = null;
          add(el);
          stack.push(el);
          p = q;
          break;
        }
        case 0x02: // close start tag
          attr = null;
          p += 1;
          break;
        case 0x03: // close empty element
        case 0x04: // end element
          attr = null;
          if (!stack.length) fail(`end of element without element at ${p}`);
          stack.pop();
          p += 1;
          break;
        case 0x05: {
          const type = b[p + 1];
          if (type !== VT.String) fail(`value token of type ${type} at ${p}`);
          const n = this.u16(p + 2);
          const e = p + 4 + n * 2;
          if (e > end) fail(`text at ${p} runs past the record`);
          add({ k: K_TEXT, text: wellFormed(b.toString('utf16le', p + 4, e)) });
          p = e;
          break;
        }
        case 0x06: {
          const el = stack[stack.length - 1];
          if (!el) fail(`attribute outside element at ${p}`);
          const [name, q] = this.nameRef(p + 1);
          this.count();
          attr = { name, parts: [] };
          el.attrs.push(attr);
          p = q;
          break;
        }
        case 0x07: {
          const n = this.u16(p + 1);
          const e = p + 3 + n * 2;
          if (e > end) fail(`CDATA at ${p} runs past the record`);
          add({ k: K_CDATA, text: wellFormed(b.toString('utf16le', p + 3, e)) });
          p = e;
          break;
        }
        case 0x08:
          add({ k: K_CHARREF, code: this.u16(p + 1) });
          p += 3;
          break;
        case 0x09: {
          const [name, q] = this.nameRef(p + 1);
          add({ k: K_ENTITY, name });
          p = q;
          break;
        }
        case 0x0a: {
          const [target, q] = this.nameRef(p + 1);
          p = q;
          let data = '';
          if (p < end && b[p] === 0x0b) {
            const n = this.u16(p + 1);
            const e = p + 3 + n * 2;
            if (e > end) fail(`processing instruction at ${p} runs past the record`);
            data = wellFormed(b.toString('utf16le', p + 3, e));
            p = e;
          }
          add({ k: K_PI, target, data });
          break;
        }
        case 0x0d:
        case 0x0e: {
          if (p + 4 > end) fail(`substitution at ${p} runs past the record`);
          add({ k: K_SUBST, id: b.readUInt16LE(p + 1), optional: (tok & 0xbf) === 0x0e, type: b[p + 3]! });
          p += 4;
          break;
        }
        default:
          fail(`bad token 0x${tok.toString(16)} at ${p}`);
      }
    }
    return { nodes: root, end: p };
  }
}
