// Flattens an event into the field names Sigma rules use for Windows events:
// System values by element name (attributes as Element_Attribute), EventData <Data Name="X"> as X,
// unnamed <Data> joined with spaces as Data, UserData leaves by element name.
import type { BxNode } from './binxml.js';
import { recordViews, treeViews } from './element-view.js';
import type { ElementView } from './element-view.js';
import type { Budget, XChild } from './resolve.js';

function attr(a: string[], name: string): string | undefined {
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
}

function set(fields: Record<string, string>, k: string, v: string): void {
  if (!(k in fields)) fields[k] = v;
}

const ATTR_ONLY = new Set(['Provider', 'Correlation', 'Execution', 'Security']);

function system(el: ElementView, f: Record<string, string>): void {
  for (const c of el.elements()) {
    const a = c.attrs();
    switch (c.name) {
      case 'EventID':
        set(f, 'EventID', c.text());
        for (let i = 0; i < a.length; i += 2) set(f, a[i]!, a[i + 1]!);
        break;
      case 'TimeCreated':
        for (let i = 0; i < a.length; i += 2) set(f, a[i] === 'SystemTime' ? 'TimeCreated' : 'TimeCreated_' + a[i], a[i + 1]!);
        break;
      default:
        if (!ATTR_ONLY.has(c.name) && c.elements().length === 0) set(f, c.name, c.text());
        for (let i = 0; i < a.length; i += 2) set(f, c.name + '_' + a[i], a[i + 1]!);
    }
  }
}

function eventData(el: ElementView, f: Record<string, string>, unnamed: string[]): void {
  for (const c of el.elements()) {
    if (c.name === 'Data') {
      const name = attr(c.attrs(), 'Name');
      if (name !== undefined) set(f, name, c.text());
      else unnamed.push(c.text());
    } else if (c.elements().length) {
      eventData(c, f, unnamed);
    } else {
      set(f, c.name, c.text());
    }
  }
}

/** Decides from the System fields alone whether a record is wanted (the rest is then not decoded). */
export type SystemFilter = (system: Record<string, string>) => boolean;

function flattenViews(roots: ElementView[], accept?: SystemFilter): Record<string, string> | null {
  const f: Record<string, string> = {};
  const event = roots[0];
  if (!event) return accept && !accept(f) ? null : f;
  const unnamed: string[] = [];
  const parts = event.elements();
  for (const c of parts) if (c.name === 'System') system(c, f);
  if (accept && !accept(f)) return null;
  for (const c of parts) {
    if (c.name === 'EventData' || c.name === 'UserData' || c.name === 'ProcessingErrorData') eventData(c, f, unnamed);
  }
  if (unnamed.length) set(f, 'Data', unnamed.join(' '));
  return f;
}

/** Fields of a resolved element tree (XML output, evtxexport's output in the conformance test). */
export function flattenEvent(roots: XChild[]): Record<string, string> {
  return flattenViews(treeViews(roots))!;
}

/** Fields straight from decoded binary XML and its substitution values; null when `accept` declines it. */
export function flattenRecord(nodes: BxNode[], accept?: SystemFilter, chunkBudget?: Budget): Record<string, string> | null {
  return flattenViews(recordViews(nodes, chunkBudget), accept);
}
