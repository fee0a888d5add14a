// HTML built from tagged templates: every interpolated value is escaped (htmlEscape) unless it is
// already Safe markup made by this module. Attacker text cannot become markup by forgetting to escape.
import { htmlEscape } from '../../escape.js';

export class Safe {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

type Part = Safe | string | number | boolean | undefined | null | Part[];

function part(v: Part): string {
  if (v === undefined || v === null || v === false) return '';
  if (v instanceof Safe) return v.value;
  if (Array.isArray(v)) { let s = ''; for (const x of v) s += part(x); return s; }
  return htmlEscape(String(v));
}

export function h(strings: TemplateStringsArray, ...values: Part[]): Safe {
  let s = strings[0]!;
  for (let i = 0; i < values.length; i++) s += part(values[i]!) + strings[i + 1]!;
  return new Safe(s);
}

export const raw = (s: string): Safe => new Safe(s);
export const join = (xs: Part[], sep = ''): Safe => new Safe(xs.map(part).join(sep));

const bad = (t: number | undefined): t is undefined => t === undefined || !Number.isFinite(t) || Math.abs(t) > 8.64e15;
export const fmtTime = (t: number | undefined): string => (bad(t) ? '—' : new Date(t).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC').replace(/Z$/, ' UTC'));
export const fmtDay = (t: number | undefined): string => (bad(t) ? '—' : new Date(t).toISOString().slice(0, 10));

/** A link to a public source: only https URLs become links, anything else stays text. */
export function sourceLink(url: string): Safe {
  return /^https:\/\/[^\s"'<>]+$/.test(url) ? h`<a href="${url}" rel="noreferrer noopener">${url.replace(/^https:\/\//, '').slice(0, 80)}</a>` : h`${url}`;
}
