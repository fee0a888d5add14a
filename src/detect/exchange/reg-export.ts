// Reader for regedit .reg exports (REGEDIT4 / "Windows Registry Editor Version 5.00"), UTF-16LE (with or
// without BOM) or UTF-8. Tolerant: unknown lines are skipped and counted, never thrown on.

export type RegData = string | number | string[] | null;
export interface RegValue { name: string; type: 'sz' | 'expand_sz' | 'multi_sz' | 'dword' | 'qword' | 'binary' | 'other' | 'delete'; data: RegData }
export interface RegKey { path: string; line: number; values: RegValue[] }
export interface RegExport { keys: RegKey[]; badLines: number; truncated: boolean }

const MAX_KEYS = 200_000;
const MAX_LOGICAL_LINE = 1 << 20;

/** Decode the bytes of a .reg file to text. */
export function decodeRegText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2, buf.length - (buf.length % 2)).toString('utf16le');
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  // UTF-16LE without BOM: ASCII text has a zero in every odd byte
  const n = Math.min(buf.length, 512);
  let zeros = 0;
  for (let i = 1; i < n; i += 2) if (buf[i] === 0) zeros++;
  if (n >= 8 && zeros > n / 4) return buf.subarray(0, buf.length - (buf.length % 2)).toString('utf16le');
  return buf.toString('utf8');
}

function unquote(s: string): [string, number] | undefined {
  // s starts with '"'; returns the unescaped string and the index after the closing quote
  let out = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) { out += s[++i]; continue; }
    if (c === '"') return [out, i + 1];
    out += c;
  }
  return undefined;
}

function hexBytes(s: string): Buffer {
  const clean = s.replace(/[\s\\]/g, '');
  const parts = clean.length ? clean.split(',') : [];
  const b = Buffer.alloc(parts.length);
  let n = 0;
  for (const p of parts) if (/^[0-9a-fA-F]{1,2}$/.test(p)) b[n++] = parseInt(p, 16);
  return b.subarray(0, n);
}

function utf16z(b: Buffer): string[] {
  return b.subarray(0, b.length - (b.length % 2)).toString('utf16le').split('\0');
}

function parseValue(raw: string): Pick<RegValue, 'type' | 'data'> {
  if (raw === '-') return { type: 'delete', data: null };
  if (raw.startsWith('"')) {
    const q = unquote(raw);
    return { type: 'sz', data: q ? q[0] : raw.slice(1) };
  }
  const low = raw.toLowerCase();
  if (low.startsWith('dword:')) {
    const h = raw.slice(6).trim();
    return { type: 'dword', data: /^[0-9a-fA-F]{1,8}$/.test(h) ? parseInt(h, 16) : null };
  }
  const m = /^hex(?:\(([0-9a-fA-F]{1,8})\))?:(.*)$/s.exec(raw);
  if (!m) return { type: 'other', data: raw.slice(0, 256) };
  const t = m[1] ? parseInt(m[1], 16) : 3;
  const bytes = hexBytes(m[2]!);
  if (t === 2) return { type: 'expand_sz', data: utf16z(bytes)[0] ?? '' };
  if (t === 1) return { type: 'sz', data: utf16z(bytes)[0] ?? '' };
  if (t === 7) return { type: 'multi_sz', data: utf16z(bytes).filter((x) => x.length > 0) };
  if (t === 4 && bytes.length >= 4) return { type: 'dword', data: bytes.readUInt32LE(0) };
  if (t === 0xb && bytes.length >= 8) return { type: 'qword', data: Number(bytes.readBigUInt64LE(0)) };
  return { type: t === 3 ? 'binary' : 'other', data: bytes.toString('hex').slice(0, 4096) };
}

/** Parse .reg text. */
export function parseRegText(text: string): RegExport {
  const lines = text.split(/\r\n|\n|\r/);
  const keys: RegKey[] = [];
  let cur: RegKey | undefined;
  let badLines = 0;
  let truncated = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const lineNo = i + 1;
    // continuation lines end with a backslash (hex data)
    while (line.endsWith('\\') && i + 1 < lines.length && line.length < MAX_LOGICAL_LINE) line = line.slice(0, -1) + lines[++i]!.trimStart();
    const t = line.trim();
    if (t === '' || t.startsWith(';') || /^(REGEDIT4|Windows Registry Editor)/i.test(t)) continue;
    if (t.startsWith('[') && t.endsWith(']')) {
      if (keys.length >= MAX_KEYS) { truncated = true; break; }
      cur = { path: t.slice(1, -1), line: lineNo, values: [] };
      keys.push(cur);
      continue;
    }
    if (!cur) { badLines++; continue; }
    let name: string, rest: string;
    if (t.startsWith('@=')) { name = ''; rest = t.slice(2); }
    else if (t.startsWith('"')) {
      const q = unquote(t);
      if (!q || t[q[1]] !== '=') { badLines++; continue; }
      name = q[0];
      rest = t.slice(q[1] + 1);
    } else { badLines++; continue; }
    cur.values.push({ name, ...parseValue(rest) });
  }
  return { keys, badLines, truncated };
}

export function parseRegExport(buf: Buffer): RegExport {
  return parseRegText(decodeRegText(buf));
}

/** Normalise a key path for matching: upper-case hive abbreviations, lower case, no Wow6432Node. */
export function normKeyPath(p: string): string {
  return p
    .replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\')
    .replace(/\\Wow6432Node\\/i, '\\')
    .toLowerCase();
}

export function regValue(k: RegKey, name: string): RegData | undefined {
  const n = name.toLowerCase();
  return k.values.find((v) => v.name.toLowerCase() === n)?.data;
}
