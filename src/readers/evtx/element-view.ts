// A read-only view of an event's elements, over either the decoded binary XML with its substitution values
// (the fast path: no intermediate tree) or a resolved element tree (XML output, tests). Field extraction is
// written once against this view.
import { BinXmlError, K_CDATA, K_CHARREF, K_ELEM, K_ENTITY, K_INSTANCE, K_SUBST, K_TEXT, entityText } from './binxml.js';
import type { BxElem, BxNode, Value } from './binxml.js';
import { Budget, MAX_DEPTH, absentOptional, arraySubst, attrText, charRef } from './resolve.js';
import type { XChild, XElem } from './resolve.js';

export interface ElementView {
  readonly name: string;
  /** name, value, name, value ... (absent optional attributes left out) */
  attrs(): string[];
  /** all text inside, child elements included */
  text(): string;
  elements(): ElementView[];
}

class TreeView implements ElementView {
  constructor(private readonly el: XElem) {}
  get name(): string {
    return this.el.name;
  }
  attrs(): string[] {
    return this.el.attrs;
  }
  text(): string {
    return treeText(this.el);
  }
  elements(): ElementView[] {
    return treeViews(this.el.children);
  }
}

function treeText(el: XElem): string {
  let s = '';
  for (const c of el.children) {
    if (typeof c === 'string') s += c;
    else if ('name' in c) s += treeText(c);
  }
  return s;
}

export function treeViews(children: XChild[]): ElementView[] {
  const out: ElementView[] = [];
  for (const c of children) if (typeof c !== 'string' && 'name' in c) out.push(new TreeView(c));
  return out;
}

class NodeView implements ElementView {
  constructor(
    private readonly el: BxElem,
    private readonly values: Value[],
    private readonly depth: number,
    private readonly budget: Budget,
    /** one item of an array substitution this element repeats for */
    private readonly item?: string,
  ) {}
  get name(): string {
    return this.el.name;
  }
  attrs(): string[] {
    const out: string[] = [];
    for (const a of this.el.attrs) {
      const v = attrText(a.parts, this.values);
      if (v !== undefined) out.push(a.name, v);
    }
    return out;
  }
  text(): string {
    return this.item ?? nodesText(this.el.children, this.values, this.depth + 1, this.budget);
  }
  elements(): ElementView[] {
    const out: ElementView[] = [];
    if (this.item === undefined) collect(this.el.children, this.values, this.depth + 1, this.budget, out);
    return out;
  }
}

function collect(nodes: BxNode[], values: Value[], depth: number, budget: Budget, out: ElementView[]): void {
  if (depth > MAX_DEPTH) throw new BinXmlError('binary XML nested too deeply');
  for (const n of nodes) {
    budget.take();
    if (n.k === K_ELEM) {
      if (n.dep >= 0 && values[n.dep] === null) continue;
      const items = arraySubst(n, values);
      if (items) for (const item of items) out.push(new NodeView(n, values, depth, budget, item));
      else if (!absentOptional(n.children, values)) out.push(new NodeView(n, values, depth, budget));
    } else if (n.k === K_INSTANCE) {
      collect(n.template.nodes, n.values, depth + 1, budget, out);
    } else if (n.k === K_SUBST) {
      const v = values[n.id];
      if (Array.isArray(v) && v.length && typeof v[0] !== 'string') collect(v as BxNode[], values, depth + 1, budget, out);
    }
  }
}

function nodesText(nodes: BxNode[], values: Value[], depth: number, budget: Budget): string {
  if (depth > MAX_DEPTH) throw new BinXmlError('binary XML nested too deeply');
  let s = '';
  for (const n of nodes) {
    budget.take();
    switch (n.k) {
      case K_TEXT: case K_CDATA: s += n.text; budget.text(n.text.length); break;
      case K_CHARREF: s += charRef(n.code); break;
      case K_ENTITY: s += entityText(n.name); break;
      case K_SUBST: {
        const v = values[n.id];
        if (v === null || v === undefined) break;
        if (typeof v === 'string') {
          budget.text(v.length);
          s += v;
        } else if (v.length && typeof v[0] !== 'string') s += nodesText(v as BxNode[], values, depth + 1, budget);
        else {
          const joined = (v as string[]).join(',');
          budget.text(joined.length);
          s += joined;
        }
        break;
      }
      case K_ELEM: case K_INSTANCE:
        for (const e of nodeViews([n], values, depth, budget)) s += e.text();
        break;
      default: break;
    }
  }
  return s;
}

function nodeViews(nodes: BxNode[], values: Value[], depth: number, budget: Budget): ElementView[] {
  const out: ElementView[] = [];
  collect(nodes, values, depth, budget, out);
  return out;
}

/** Top-level element views of a record's decoded binary XML (limits shared with the chunk's budget). */
export function recordViews(nodes: BxNode[], chunkBudget?: Budget): ElementView[] {
  return nodeViews(nodes, [], 0, new Budget(chunkBudget));
}
