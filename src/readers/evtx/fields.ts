// Flattens an event's element tree into the field names Sigma rules use for Windows events:
// System values by element name (attributes as Element_Attribute), EventData <Data Name="X"> as X,
// unnamed <Data> joined with spaces as Data, UserData leaves by element name.
import type { XChild, XElem } from './resolve.js';

export function textOf(el: XElem): string {
  let s = '';
  for (const c of el.children) {
    if (typeof c === 'string') s += c;
    else if ('name' in c) s += textOf(c);
  }
  return s;
}

export function attr(el: XElem, name: string): string | undefined {
  for (let i = 0; i < el.attrs.length; i += 2) if (el.attrs[i] === name) return el.attrs[i + 1];
  return undefined;
}

function isElem(c: XChild): c is XElem {
  return typeof c !== 'string' && 'name' in c;
}

function set(fields: Record<string, string>, k: string, v: string): void {
  if (!(k in fields)) fields[k] = v;
}

const ATTR_ONLY = new Set(['Provider', 'Correlation', 'Execution', 'Security']);

function system(el: XElem, f: Record<string, string>): void {
  for (const c of el.children) {
    if (!isElem(c)) continue;
    const a = c.attrs;
    switch (c.name) {
      case 'EventID':
        set(f, 'EventID', textOf(c));
        for (let i = 0; i < a.length; i += 2) set(f, a[i]!, a[i + 1]!);
        break;
      case 'TimeCreated':
        for (let i = 0; i < a.length; i += 2) set(f, a[i] === 'SystemTime' ? 'TimeCreated' : 'TimeCreated_' + a[i], a[i + 1]!);
        break;
      default: {
        if (!ATTR_ONLY.has(c.name) && !c.children.some(isElem)) set(f, c.name, textOf(c));
        for (let i = 0; i < a.length; i += 2) set(f, c.name + '_' + a[i], a[i + 1]!);
      }
    }
  }
}

function eventData(el: XElem, f: Record<string, string>, unnamed: string[]): void {
  for (const c of el.children) {
    if (!isElem(c)) continue;
    if (c.name === 'Data') {
      const name = attr(c, 'Name');
      if (name !== undefined) set(f, name, textOf(c));
      else unnamed.push(textOf(c));
    } else if (c.children.some(isElem)) {
      eventData(c, f, unnamed);
    } else {
      set(f, c.name, textOf(c));
    }
  }
}

/** Fields of one event; Event/System/EventData/UserData are found by name, at any namespace prefix. */
export function flattenEvent(roots: XChild[]): Record<string, string> {
  const f: Record<string, string> = {};
  const event = roots.find(isElem);
  if (!event) return f;
  const unnamed: string[] = [];
  for (const c of event.children) {
    if (!isElem(c)) continue;
    if (c.name === 'System') system(c, f);
  }
  for (const c of event.children) {
    if (!isElem(c) || c.name === 'System') continue;
    if (c.name === 'EventData' || c.name === 'UserData' || c.name === 'ProcessingErrorData') eventData(c, f, unnamed);
  }
  if (unnamed.length) set(f, 'Data', unnamed.join(' '));
  return f;
}
