// HTML built only through this tagged template: every interpolated value is escaped unless it is already
// Safe (the output of another `html` call). Attacker text cannot reach the page unescaped by accident.

export class Safe {
  constructor(readonly s: string) {}
  toString(): string {
    return this.s;
  }
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function esc(v: unknown): string {
  // control characters (except tab/newline) are shown as U+FFFD so log bytes cannot confuse the reader
  return String(v).replace(/[&<>"'`]/g, (c) => ESC[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}

type Val = Safe | string | number | boolean | null | undefined | readonly Val[];

function render(v: Val): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Safe) return v.s;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(v);
}

export function html(strings: TemplateStringsArray, ...vals: Val[]): Safe {
  let out = strings[0]!;
  for (let i = 0; i < vals.length; i++) out += render(vals[i]!) + strings[i + 1]!;
  return new Safe(out);
}

export const fmtTime = (t: number | null | undefined): string =>
  t === null || t === undefined || !Number.isFinite(t) ? '' : new Date(t).toISOString().slice(0, 16).replace('T', ' ');

export const fmtDate = (t: number | null | undefined): string =>
  t === null || t === undefined || !Number.isFinite(t) ? '' : new Date(t).toISOString().slice(0, 10);

/** A query string from a record, dropping empty values. */
export function qs(p: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
