// Findings as Elastic Common Schema documents, one JSON object a line (NDJSON), for Elasticsearch,
// OpenSearch or Splunk. Field names and allowed values after ECS 8.11 (https://www.elastic.co/guide/en/ecs/8.11/):
// event.kind 'alert', event.category 'intrusion_detection' (plus 'file' / 'web' by source), event.type
// 'info', rule.*, host.name, source.ip, related.*, file.*, log.file.path, threat.technique.id,
// vulnerability.id. exhunt's own fields live under `exhunt.` as ECS asks for custom fields.
import { isIP } from 'node:net';
import { webFileOf } from '../assess/evidence-ref.js';
import type { Finding, HostAssessment, Level, ScanResult } from '../types.js';

export const ECS_VERSION = '8.11.0';
const SEVERITY: Record<Level, number> = { informational: 1, low: 21, medium: 47, high: 73, critical: 99 };

export function ecsDoc(h: HostAssessment, f: Finding, scanTime: number): Record<string, unknown> {
  const web = webFileOf(f);
  const timed = typeof f.time === 'number' && Number.isFinite(f.time);
  const ips = f.entities.ips.filter((ip) => isIP(ip) !== 0);
  const doc: Record<string, unknown> = {
    '@timestamp': new Date(timed ? f.time! : scanTime).toISOString(),
    ecs: { version: ECS_VERSION },
    message: `${f.rule.title} (${f.evidence.path}${f.evidence.line !== undefined ? `:${f.evidence.line}` : ''})`,
    event: {
      kind: 'alert',
      category: web ? ['intrusion_detection', 'file'] : ['intrusion_detection'],
      type: ['info'],
      module: 'exhunt',
      dataset: 'exhunt.finding',
      severity: SEVERITY[f.level] ?? 1,
      risk_score: SEVERITY[f.level] ?? 1,
      created: new Date(scanTime).toISOString(),
      original: f.evidence.excerpt,
    },
    rule: { id: f.rule.id, name: f.rule.title, ruleset: f.rule.source, ...(f.rule.references?.length ? { reference: f.rule.references[0] } : {}) },
    host: { name: h.host },
    observer: { vendor: 'exhunt', product: 'exhunt', type: 'scanner' },
    related: { ip: ips, user: f.entities.users, hosts: [h.host], ...(web?.sha256 ? { hash: [web.sha256] } : {}) },
    log: { file: { path: f.evidence.path }, ...(f.evidence.offset !== undefined ? { offset: f.evidence.offset } : {}) },
    exhunt: { level: f.level, stage: f.stage, verdict: h.verdict, ...(f.evidence.line !== undefined ? { line: f.evidence.line } : {}), ...(f.evidence.record !== undefined ? { record: f.evidence.record } : {}), ...(f.entities.mailboxes.length ? { mailboxes: f.entities.mailboxes } : {}), ...(timed ? {} : { time_unknown: true }) },
  };
  if (ips[0]) doc['source'] = { ip: ips[0] };
  if (f.entities.users[0]) doc['user'] = { name: f.entities.users[0] };
  if (f.attack.length) doc['threat'] = { framework: 'MITRE ATT&CK', technique: { id: [...new Set(f.attack.map((t) => t.split('.')[0]!))], subtechnique: { id: f.attack.filter((t) => t.includes('.')) } } };
  if (f.cves.length) doc['vulnerability'] = { id: f.cves, enumeration: 'CVE' };
  if (web) {
    const name = f.evidence.path.split('/').pop() ?? f.evidence.path;
    doc['file'] = { path: f.evidence.path, name, ...(typeof web.size === 'number' ? { size: web.size } : {}), ...(web.sha256 ? { hash: { sha256: web.sha256 } } : {}) };
  }
  return doc;
}

export function renderEcs(r: ScanResult): string {
  const lines: string[] = [];
  for (const h of r.hosts) for (const f of h.findings) lines.push(JSON.stringify(ecsDoc(h, f, r.finished || Date.now())));
  return lines.length ? lines.join('\n') + '\n' : '';
}
