// Test helper: runs libevtx's `evtxexport -f xml` (Debian libevtx-utils) and parses its output into the
// same element tree our reader produces, so records can be compared value by value.
import { execFile, execFileSync } from 'node:child_process';
import type { XChild, XElem } from '../../src/readers/evtx/resolve.js';

export function hasEvtxexport(): boolean {
  try {
    execFileSync('evtxexport', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function evtxexport(path: string): Promise<{ xml: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('evtxexport', ['-f', 'xml', path], { maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      // evtxexport exits non-zero on some damaged files after printing what it could read
      if (err && !stdout) reject(err);
      else resolve({ xml: stdout, stderr });
    });
  });
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

/** The <Event> elements of evtxexport's output (a banner, then concatenated elements, no root). */
export function parseEvtxexportXml(text: string): XElem[] {
  const events: XElem[] = [];
  const stack: XElem[] = [];
  const re = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|<\?([^?]*)\?>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[6] !== undefined) {
      const top = stack[stack.length - 1];
      if (top) top.children.push(decodeEntities(m[6]));
      continue;
    }
    if (m[5] !== undefined) {
      const [target, ...rest] = m[5].split(' ');
      stack[stack.length - 1]?.children.push({ pi: target ?? '', data: rest.join(' ') });
      continue;
    }
    const [, close, name, attrText, selfClose] = m as unknown as [string, string, string, string, string];
    if (close) {
      const el = stack.pop();
      if (el) tidy(el);
      if (el && stack.length === 0) events.push(el);
      continue;
    }
    const attrs: string[] = [];
    for (const a of attrText.matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs.push(a[1]!, decodeEntities(a[2]!));
    const el: XElem = { name, attrs, children: [] };
    stack[stack.length - 1]?.children.push(el);
    if (name === 'Data' && !selfClose) {
      // evtxexport writes CDATA content without escaping it: take a Data element's content verbatim
      const endAt = text.indexOf('</Data>', re.lastIndex);
      const raw = text.slice(re.lastIndex, endAt < 0 ? text.length : endAt);
      if (raw.includes('<')) {
        if (raw) el.children.push(raw);
        re.lastIndex = endAt < 0 ? text.length : endAt + 7;
        continue;
      }
    }
    if (selfClose) {
      if (stack.length === 0) events.push(el);
    } else stack.push(el);
  }
  return events;
}

/** Drop indentation text between child elements; merge the rest. */
function tidy(el: XElem): void {
  if (!el.children.some((c) => typeof c !== 'string')) return;
  el.children = el.children.filter((c: XChild) => typeof c !== 'string' || c.trim() !== '');
}
