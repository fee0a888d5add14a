// The name a collected file gets inside the zip, from its Windows path: drive letter as the first folder
// ("C/Program Files/..."), shares under "UNC/server/share/...". Each name must unpack on Windows and on Linux,
// so characters either system refuses are percent-escaped the way Velociraptor does (exhunt's logical paths
// decode them), and segments longer than a Linux file name can be are shortened with a hash. The
// manifest keeps the original Windows path of every member, so nothing is lost.
import { createHash } from 'node:crypto';
import type { WinPath } from './win-path.js';

/** Windows refuses these in names; '\\' and '/' are separators; '%' is left alone (see escapeSegment). */
const ILLEGAL = /[<>:"|?*\\/\u0000-\u001f]/g;
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;
/** Linux NAME_MAX is 255 bytes; Windows allows 255 UTF-16 units, which can be up to 765 UTF-8 bytes. */
const MAX_SEGMENT_BYTES = 255;
const LONE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const LONE_SURROGATE = new RegExp(LONE);
const LONE_SURROGATE_G = new RegExp(LONE, 'g');

function pct(c: string): string {
  return [...Buffer.from(c, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/**
 * One path segment made safe for both file systems. '%' itself is not escaped: Windows names with a literal
 * "%4" (event-log channels) stay readable; the manifest, not the escape, is what makes names reversible.
 */
export function escapeSegment(seg: string): string {
  let s = seg.replace(ILLEGAL, pct);
  // Win32 strips trailing dots and spaces, so "shell.aspx." would land on "shell.aspx"
  s = s.replace(/[. ]+$/, (m) => [...m].map(pct).join(''));
  if (RESERVED.test(s)) s = pct(s[0]!) + s.slice(1);
  // lone surrogates (legal in NTFS names, not in UTF-8) become U+FFFD in the zip; keep them distinct
  if (LONE_SURROGATE.test(s)) s = s.replace(LONE_SURROGATE_G, '\uFFFD') + '~' + shortHash(seg);
  if (Buffer.byteLength(s, 'utf8') > MAX_SEGMENT_BYTES) s = shorten(s, seg);
  return s;
}

function shortHash(s: string): string {
  return createHash('sha256').update(s, 'utf16le').digest('hex').slice(0, 8);
}

/** Keep the start of the name and its extension, add a hash of the whole so distinct long names stay distinct. */
function shorten(s: string, original: string): string {
  const ext = /\.[^.]{1,16}$/.exec(s)?.[0] ?? '';
  const tail = `~${shortHash(original)}${ext}`;
  let head = s.slice(0, s.length - ext.length);
  while (Buffer.byteLength(head, 'utf8') + tail.length > MAX_SEGMENT_BYTES - 8) head = [...head].slice(0, -1).join('');
  return head + tail;
}

/** Zip member name for a file at a Windows path. */
export function memberName(p: WinPath): string {
  const root = p.root.startsWith('UNC/') ? 'UNC/' + p.root.slice(4).split('/').map(escapeSegment).join('/') : p.root;
  return [root, ...p.parts.map(escapeSegment)].join('/');
}
