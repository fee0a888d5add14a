// Every output format by name: the scan, demo and report commands all render through here.
import { investigate } from '../assess/investigate.js';
import type { ScanResult } from '../types.js';
import { renderCsv } from './csv.js';
import { renderEcs } from './ecs.js';
import { renderHtml } from './html/page.js';
import { renderJson, renderJsonl } from './json.js';
import { renderStix } from './stix.js';
import { renderTerminal } from './terminal.js';

export const FORMATS = ['text', 'json', 'jsonl', 'csv', 'html', 'stix', 'ecs'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

/** Results made without the assess stage's answers (older fleet rows, hand-built ones) get them here. */
export function withAnswers(r: ScanResult): ScanResult {
  if (r.hosts.every((h) => h.answers)) return r;
  return { ...r, hosts: r.hosts.map((h) => (h.answers ? h : { ...h, answers: investigate(h) })) };
}

export function renderFormat(r: ScanResult, format: Format, opts: { color?: boolean; verbose?: boolean } = {}): string {
  switch (format) {
    case 'json': return renderJson(r);
    case 'jsonl': return renderJsonl(r);
    case 'csv': return renderCsv(r);
    case 'html': return renderHtml(withAnswers(r));
    case 'stix': return renderStix(withAnswers(r));
    case 'ecs': return renderEcs(r);
    case 'text': return renderTerminal(withAnswers(r), { color: opts.color ?? false, ...(opts.verbose ? { verbose: true } : {}) });
  }
}
