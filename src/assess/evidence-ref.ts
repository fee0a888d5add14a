// Small shared pieces of the investigation answers: a finding as an evidence pointer, the key of the log
// line behind a finding (several rules can fire on one line: it is still one request), time helpers.
import type { EvidenceRef, Finding } from '../types.js';
import { LEVEL_RANK } from './verdict.js';

const EXCERPT_MAX = 400;

export function refOf(f: Finding): EvidenceRef {
  const r: EvidenceRef = { rule: f.rule.id, title: f.rule.title, level: f.level, path: f.evidence.path, excerpt: f.evidence.excerpt.slice(0, EXCERPT_MAX) };
  if (validTime(f.time)) r.time = f.time;
  if (f.evidence.line !== undefined) r.line = f.evidence.line;
  if (f.evidence.record !== undefined) r.record = f.evidence.record;
  return r;
}

export function validTime(t: number | undefined): t is number {
  return typeof t === 'number' && Number.isFinite(t);
}

/** One key per log line or event record; undefined for file findings (not a request). */
export function lineKey(f: Finding): string | undefined {
  if (f.evidence.line !== undefined) return `${f.evidence.path}\u0000L${f.evidence.line}`;
  if (f.evidence.record !== undefined) return `${f.evidence.path}\u0000R${f.evidence.record}`;
  return undefined;
}

/** Strongest first, then earliest. */
export function strongestFirst(a: Finding, b: Finding): number {
  return LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || (a.time ?? Infinity) - (b.time ?? Infinity);
}

export function span(acc: { first?: number; last?: number }, t: number | undefined): void {
  if (!validTime(t)) return;
  if (acc.first === undefined || t < acc.first) acc.first = t;
  if (acc.last === undefined || t > acc.last) acc.last = t;
}

export const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);
export const isoMinute = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

/** The `webFile` details a web-folder finding carries (src/detect/webshell/finding.ts), read defensively. */
export interface WebFileView {
  score?: number;
  sha256?: string;
  size?: number;
  signals?: { id: string; text: string }[];
  requests?: { count: number; first: number; last: number; ips: string[]; stem?: string };
}

export function webFileOf(f: Finding): WebFileView | undefined {
  const w = (f as { webFile?: unknown }).webFile;
  return w && typeof w === 'object' ? (w as WebFileView) : undefined;
}
