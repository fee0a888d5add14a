// Findings as CSV for spreadsheets: one row a finding, every cell escaped against formula injection.
import type { ScanResult } from '../types.js';
import { csvCell } from '../escape.js';

const HEADER = ['host', 'verdict', 'time', 'level', 'stage', 'cves', 'rule_id', 'rule_title', 'path', 'line', 'record', 'ips', 'users', 'mailboxes', 'files', 'excerpt'];

export function renderCsv(r: ScanResult): string {
  const rows = [HEADER.map(csvCell).join(',')];
  for (const h of r.hosts) {
    for (const f of h.findings) {
      rows.push([
        h.host, h.verdict, typeof f.time === 'number' && Number.isFinite(f.time) && Math.abs(f.time) <= 8.64e15 ? new Date(f.time).toISOString() : '', f.level, f.stage, f.cves.join(' '),
        f.rule.id, f.rule.title, f.evidence.path, f.evidence.line ?? '', f.evidence.record ?? '',
        f.entities.ips.join(' '), f.entities.users.join(' '), f.entities.mailboxes.join(' '), f.entities.files.join(' '), f.evidence.excerpt,
      ].map(csvCell).join(','));
    }
  }
  return rows.join('\r\n') + '\r\n';
}
