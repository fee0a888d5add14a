// Value-transforming modifiers: wide/utf16*, base64, base64offset, windash.
// Byte strings (after a utf16 modifier) are carried as latin1 JS strings, one char per byte.

export type TextEncoding = 'utf16le' | 'utf16be' | 'utf16';

export function toUtf16(s: string, enc: TextEncoding): string {
  const le = Buffer.from(s, 'utf16le');
  if (enc === 'utf16le') return le.toString('latin1');
  if (enc === 'utf16') return '\xff\xfe' + le.toString('latin1'); // BOM + little endian, as Python's 'utf-16'
  const be = Buffer.from(le);
  be.swap16();
  return be.toString('latin1');
}

function bytesOf(s: string, binary: boolean): Buffer {
  return binary ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
}

export function toBase64(s: string, binary: boolean): string {
  return bytesOf(s, binary).toString('base64');
}

/**
 * The three encodings of `s` at byte offsets 0, 1 and 2 inside a longer base64 stream, trimmed to the
 * characters that do not depend on the neighbouring bytes (pySigma's SigmaBase64OffsetModifier).
 */
export function toBase64Offsets(s: string, binary: boolean): string[] {
  const b = bytesOf(s, binary);
  const start = [0, 2, 3];
  const endTrim = [0, 3, 2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i), b]).toString('base64');
    const trim = endTrim[(b.length + i) % 3]!;
    const v = enc.slice(start[i]!, trim ? enc.length - trim : enc.length);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** Dash characters that Windows command lines accept for options. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
const WINDASH_LIMIT = 256;

/**
 * All variants of `s` with each option dash (a '-' or '/' at a word start: not preceded by a word
 * character, followed by one) replaced by any of WINDASH_CHARS. null when the variants would exceed a
 * sane number (the rule is then reported).
 */
export function windashVariants(s: string): string[] | null {
  const positions: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '-' && c !== '/') continue;
    const prevWord = i > 0 && /\w/.test(s[i - 1]!);
    const nextWord = i + 1 < s.length && /\w/.test(s[i + 1]!);
    if (!prevWord && nextWord) positions.push(i);
  }
  if (positions.length === 0) return [s];
  if (Math.pow(WINDASH_CHARS.length, positions.length) > WINDASH_LIMIT) return null;
  let acc = [''];
  let last = 0;
  for (const pos of positions) {
    const mid = s.slice(last, pos);
    const next: string[] = [];
    for (const a of acc) for (const d of WINDASH_CHARS) next.push(a + mid + d);
    acc = next;
    last = pos + 1;
  }
  return acc.map((a) => a + s.slice(last));
}
