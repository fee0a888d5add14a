// Attacker text leaves exhunt through these functions only: one per sink (report, fleet and probe output alike).

/**
 * Terminal: control characters (ESC sequences, CR that rewrites the line, BEL, C1 controls, bidi
 * overrides) are shown as visible escapes instead of being interpreted by the user's terminal.
 */
export function terminalSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }).replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

/** CSV cell: quoted, quotes doubled, and a leading quote before =, +, -, @, tab or CR so spreadsheets do not run it. */
export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** HTML text and attribute values. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside an HTML <script type="application/json"> block: `<`, `>` and `&` as \u escapes so no
 * attacker string can close the block (`</script>`) or open a comment; U+2028/2029 escaped for old parsers.
 */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
