// Substitutes template values into decoded binary XML, giving a plain element tree.
import { BinXmlError, K_CDATA, K_CHARREF, K_ELEM, K_ENTITY, K_INSTANCE, K_PI, K_SUBST, K_TEXT, entityText } from './binxml.js';
import type { BxNode, Value } from './binxml.js';

export interface XPI { pi: string; data: string }
export type XChild = XElem | string | XPI;
export interface XElem {
  name: string;
  /** name, value, name, value ... */
  attrs: string[];
  children: XChild[];
}

export const MAX_DEPTH = 64;
/**
 * Output limits. A template can repeat one large value many times, so what a record expands to is bounded
 * per record and, through a shared parent, per chunk (a 64 KiB chunk honestly expands to far less).
 */
const RECORD_NODES = 200_000;
const RECORD_CHARS = 1 << 20;
export const CHUNK_NODES = 2_000_000;
export const CHUNK_CHARS = 8 << 20;

export class Budget {
  private nodes: number;
  private chars: number;
  constructor(
    private readonly parent?: Budget,
    nodes = RECORD_NODES,
    chars = RECORD_CHARS,
  ) {
    this.nodes = nodes;
    this.chars = chars;
  }
  /** this budget (not a parent) is used up */
  get spent(): boolean {
    return this.nodes < 0 || this.chars < 0;
  }
  take(): void {
    if (--this.nodes < 0) throw new BinXmlError('record expands to too many nodes');
    this.parent?.take();
  }
  text(n: number): void {
    if ((this.chars -= n) < 0) throw new BinXmlError('record expands to too much text');
    this.parent?.text(n);
  }
}

function pushText(out: XChild[], s: string): void {
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + s;
  else out.push(s);
}

export function charRef(code: number): string {
  return String.fromCharCode(code);
}

/** Text of attribute parts; undefined when the attribute consists only of absent optional substitutions. */
export function attrText(parts: BxNode[], values: Value[]): string | undefined {
  let s = '';
  let present = parts.length === 0;
  for (const n of parts) {
    switch (n.k) {
      case K_TEXT: s += n.text; present = true; break;
      case K_CHARREF: s += charRef(n.code); present = true; break;
      case K_ENTITY: s += entityText(n.name); present = true; break;
      case K_CDATA: s += n.text; present = true; break;
      case K_SUBST: {
        const v = values[n.id];
        if (v === null || v === undefined) {
          if (!n.optional) present = true;
        } else {
          present = true;
          if (typeof v === 'string') s += v;
          else if (typeof v[0] === 'string' || v.length === 0) s += (v as string[]).join(',');
        }
        break;
      }
      default: break;
    }
  }
  return present ? s : undefined;
}

/** An element whose content is only optional substitutions, all absent, is left out (as libevtx does). */
export function absentOptional(children: BxNode[], values: Value[]): boolean {
  if (children.length === 0) return false;
  for (const c of children) {
    if (c.k !== K_SUBST || !c.optional) return false;
    const v = values[c.id];
    if (v !== null && v !== undefined) return false;
  }
  return true;
}

/** Array values: the element that holds the substitution repeats once per item (as Windows renders them). */
export function arraySubst(el: { children: BxNode[] }, values: Value[]): string[] | undefined {
  if (el.children.length !== 1) return undefined;
  const n = el.children[0]!;
  if (n.k !== K_SUBST) return undefined;
  const v = values[n.id];
  if (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'string')) return v as string[];
  return undefined;
}

function resolveInto(nodes: BxNode[], values: Value[], out: XChild[], depth: number, budget: Budget): void {
  if (depth > MAX_DEPTH) throw new BinXmlError('binary XML nested too deeply');
  for (const n of nodes) {
    budget.take();
    switch (n.k) {
      case K_ELEM: {
        if (n.dep >= 0 && values[n.dep] === null) break;
        const attrs: string[] = [];
        for (const a of n.attrs) {
          const v = attrText(a.parts, values);
          if (v !== undefined) attrs.push(a.name, v);
        }
        const items = arraySubst(n, values);
        if (items) {
          for (const item of items) out.push({ name: n.name, attrs, children: item === '' ? [] : [item] });
          break;
        }
        if (absentOptional(n.children, values)) break;
        const el: XElem = { name: n.name, attrs, children: [] };
        resolveInto(n.children, values, el.children, depth + 1, budget);
        out.push(el);
        break;
      }
      case K_TEXT: budget.text(n.text.length); pushText(out, n.text); break;
      case K_CDATA: budget.text(n.text.length); pushText(out, n.text); break;
      case K_CHARREF: pushText(out, charRef(n.code)); break;
      case K_ENTITY: pushText(out, entityText(n.name)); break;
      case K_PI: out.push({ pi: n.target, data: n.data }); break;
      case K_SUBST: {
        const v = values[n.id];
        if (v === null || v === undefined) break;
        if (typeof v === 'string') {
          budget.text(v.length);
          pushText(out, v);
        } else if (v.length === 0) break;
        else if (typeof v[0] === 'string') {
          const joined = (v as string[]).join(',');
          budget.text(joined.length);
          pushText(out, joined);
        }
        else resolveInto(v as BxNode[], values, out, depth + 1, budget);
        break;
      }
      case K_INSTANCE: resolveInto(n.template.nodes, n.values, out, depth + 1, budget); break;
    }
  }
}

export function resolve(nodes: BxNode[], chunkBudget?: Budget): XChild[] {
  const out: XChild[] = [];
  resolveInto(nodes, [], out, 0, new Budget(chunkBudget));
  return out;
}
