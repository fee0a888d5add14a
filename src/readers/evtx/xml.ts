// Renders an event's element tree as indented XML (the layout evtxexport and Event Viewer use).
import type { XChild, XElem } from './resolve.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(s: string): string {
  // control characters other than tab/newline cannot appear in XML 1.0, and C1 controls can drive terminals:
  // write them as character references
  return s.replace(/[&<>"]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => ESC[c] ?? `&#x${c.charCodeAt(0).toString(16)};`);
}

function render(c: XChild, indent: string, out: string[]): void {
  if (typeof c === 'string') {
    out.push(indent + escapeXml(c) + '\n');
    return;
  }
  if ('pi' in c) {
    out.push(`${indent}<?${c.pi}${c.data ? ' ' + c.data : ''}?>\n`);
    return;
  }
  let open = indent + '<' + c.name;
  for (let i = 0; i < c.attrs.length; i += 2) open += ` ${c.attrs[i]}="${escapeXml(c.attrs[i + 1]!)}"`;
  if (c.children.length === 0) {
    out.push(open + '/>\n');
    return;
  }
  if (c.children.every((x) => typeof x === 'string')) {
    out.push(open + '>' + escapeXml((c.children as string[]).join('')) + '</' + c.name + '>\n');
    return;
  }
  out.push(open + '>\n');
  for (const x of c.children as XChild[]) render(x, indent + '  ', out);
  out.push(indent + '</' + c.name + '>\n');
}

export function toXml(roots: XChild[]): string {
  const out: string[] = [];
  for (const r of roots) render(r, '', out);
  return out.join('');
}

export function isElement(c: XChild): c is XElem {
  return typeof c !== 'string' && 'name' in c;
}
