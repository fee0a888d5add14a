// A small tolerant XML element reader for IIS configuration files (applicationHost.config, web.config).
// Not a validating parser: it keeps elements and attributes, skips comments/PIs/CDATA/DOCTYPE, recovers
// from mismatched end tags, and stops at fixed depth and node limits instead of growing without bound.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** 1-based line of the start tag */
  line: number;
}

export interface XmlDoc { root: XmlElement; errors: string[] }

const MAX_DEPTH = 256;
const MAX_NODES = 500_000;

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const n = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
  });
}

const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Decode config bytes (UTF-8 with/without BOM, UTF-16LE/BE with BOM). */
export function decodeXmlBytes(b: Buffer): string {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2, b.length - (b.length % 2)).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const c = Buffer.from(b.subarray(2, b.length - (b.length % 2)));
    c.swap16();
    return c.toString('utf16le');
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  return b.toString('utf8');
}

export function parseXml(text: string): XmlDoc {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], line: 1 };
  const stack: XmlElement[] = [root];
  const errors: string[] = [];
  const err = (m: string): void => { if (errors.length < 100) errors.push(m); };
  let nodes = 0;
  let line = 1;
  let pos = 0;
  const advance = (to: number): void => {
    for (let i = pos; i < to && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    pos = to;
  };
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) break;
    advance(lt);
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      advance(end < 0 ? text.length : end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos);
      advance(end < 0 ? text.length : end + 3);
      continue;
    }
    if (text.startsWith('<?', pos) || text.startsWith('<!', pos)) {
      const end = text.indexOf('>', pos);
      advance(end < 0 ? text.length : end + 1);
      continue;
    }
    // find the end of the tag, honouring quoted attribute values
    let i = pos + 1;
    let q = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (q) { if (c === q) q = 0; }
      else if (c === 34 || c === 39) q = c;
      else if (c === 62) break;
    }
    if (i >= text.length) { err(`line ${line}: unterminated tag`); break; }
    const body = text.slice(pos + 1, i);
    const startLine = line;
    advance(i + 1);
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      let j = stack.length - 1;
      while (j > 0 && stack[j]!.name !== name) j--;
      if (j === 0) { err(`line ${startLine}: end tag </${name.slice(0, 64)}> without a start tag`); continue; }
      if (j !== stack.length - 1) err(`line ${startLine}: </${name.slice(0, 64)}> closes unclosed elements`);
      stack.length = j;
      continue;
    }
    const selfClose = body.endsWith('/');
    const inner = selfClose ? body.slice(0, -1) : body;
    const nameEnd = inner.search(/[\s]/);
    const name = (nameEnd < 0 ? inner : inner.slice(0, nameEnd)).trim();
    if (!name) { err(`line ${startLine}: empty tag`); continue; }
    if (++nodes > MAX_NODES) { err(`more than ${MAX_NODES} elements; stopped`); break; }
    const attrs: Record<string, string> = {};
    if (nameEnd >= 0) {
      ATTR.lastIndex = 0;
      const a = inner.slice(nameEnd);
      let m: RegExpExecArray | null;
      while ((m = ATTR.exec(a)) !== null) attrs[m[1]!] = decodeEntities(m[3] ?? m[4] ?? '');
    }
    const el: XmlElement = { name, attrs, children: [], line: startLine };
    stack[stack.length - 1]!.children.push(el);
    if (!selfClose) {
      if (stack.length > MAX_DEPTH) { err(`line ${startLine}: nesting deeper than ${MAX_DEPTH}`); continue; }
      stack.push(el);
    }
  }
  return { root, errors };
}

/** Children by name (case-insensitive, as IIS section names are matched). */
export function kids(el: XmlElement, name: string): XmlElement[] {
  const n = name.toLowerCase();
  return el.children.filter((c) => c.name.toLowerCase() === n);
}

/** Follow a path of element names from `el`; every match at each step. */
export function select(el: XmlElement, path: string): XmlElement[] {
  let cur = [el];
  for (const step of path.split('/')) {
    const next: XmlElement[] = [];
    for (const c of cur) next.push(...kids(c, step));
    cur = next;
    if (cur.length === 0) break;
  }
  return cur;
}

export function attr(el: XmlElement, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of Object.entries(el.attrs)) if (k.toLowerCase() === n) return v;
  return undefined;
}
