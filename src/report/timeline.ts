// The merged timeline of every host: findings from every source, first/last requests to dropped files,
// where each log family starts and ends, and the public milestones of the exploit families seen. Written
// in Timesketch's import format: `message`, `datetime` (ISO 8601), `timestamp_desc`, plus fields; CSV or
// JSONL. Entries without a time cannot go on a timeline and are counted instead.
import { webFileOf } from '../assess/evidence-ref.js';
import type { Finding, HostAssessment, ScanResult } from '../types.js';
import { csvCell } from '../escape.js';

export interface TimelineEvent {
  time: number;
  host: string;
  source: 'finding' | 'request' | 'coverage' | 'milestone';
  timestamp_desc: string;
  message: string;
  level?: string;
  stage?: string;
  rule_id?: string;
  cves?: string;
  path?: string;
  line?: number;
  record?: number;
  ips?: string;
  users?: string;
  mailboxes?: string;
  excerpt?: string;
}

export interface Timeline { events: TimelineEvent[]; untimed: number }

const valid = (t: unknown): t is number => typeof t === 'number' && Number.isFinite(t) && Math.abs(t) < 8.64e15;

function findingEvent(h: HostAssessment, f: Finding): TimelineEvent | undefined {
  if (!valid(f.time)) return undefined;
  const web = webFileOf(f);
  const desc = web ? 'File modification time' : f.evidence.record !== undefined ? 'Event record time' : 'Log entry time';
  const e: TimelineEvent = {
    time: f.time, host: h.host, source: 'finding', timestamp_desc: desc,
    message: `[${f.level}] ${f.stage}: ${f.rule.title}${f.entities.ips.length ? ` from ${f.entities.ips.slice(0, 3).join(', ')}` : ''}`,
    level: f.level, stage: f.stage, rule_id: f.rule.id, cves: f.cves.join(' '), path: f.evidence.path,
    ips: f.entities.ips.join(' '), users: f.entities.users.join(' '), mailboxes: f.entities.mailboxes.join(' '), excerpt: f.evidence.excerpt,
  };
  if (f.evidence.line !== undefined) e.line = f.evidence.line;
  if (f.evidence.record !== undefined) e.record = f.evidence.record;
  return e;
}

export function buildTimeline(r: ScanResult): Timeline {
  const events: TimelineEvent[] = [];
  let untimed = 0;
  for (const h of r.hosts) {
    for (const f of h.findings) {
      const e = findingEvent(h, f);
      if (e) events.push(e);
      else untimed++;
      const req = webFileOf(f)?.requests;
      if (req && req.count > 0 && f.level !== 'informational') {
        const name = f.evidence.path.split('/').pop() ?? f.evidence.path;
        const ips = (req.ips ?? []).join(' ');
        if (valid(req.first)) events.push({ time: req.first, host: h.host, source: 'request', timestamp_desc: 'First request', message: `First of ${req.count} requests to ${name}`, path: f.evidence.path, ips, level: f.level, stage: f.stage });
        if (valid(req.last) && req.last !== req.first) events.push({ time: req.last, host: h.host, source: 'request', timestamp_desc: 'Last request', message: `Last of ${req.count} requests to ${name}`, path: f.evidence.path, ips, level: f.level, stage: f.stage });
      }
    }
    for (const fam of h.coverage.families) {
      if (valid(fam.first)) events.push({ time: fam.first, host: h.host, source: 'coverage', timestamp_desc: 'Log coverage start', message: `${fam.family} logs begin (${fam.records} records in ${fam.files} files): nothing earlier can be seen in them` });
      if (valid(fam.last)) events.push({ time: fam.last, host: h.host, source: 'coverage', timestamp_desc: 'Log coverage end', message: `${fam.family} logs end` });
    }
    for (const m of h.answers?.milestones ?? []) {
      for (const x of m.milestones) {
        const t = Date.parse(`${x.date}T00:00:00Z`);
        if (valid(t)) events.push({ time: t, host: h.host, source: 'milestone', timestamp_desc: 'Public milestone', message: `${m.name}: ${x.kind}${x.uncertain ? ' (date uncertain)' : ''}${x.note ? ` — ${x.note}` : ''} [${x.sources[0] ?? ''}]`, cves: m.cves.join(' ') });
      }
    }
  }
  events.sort((a, b) => a.time - b.time);
  return { events, untimed };
}

const COLUMNS: (keyof TimelineEvent | 'datetime' | 'timestamp')[] = ['message', 'datetime', 'timestamp', 'timestamp_desc', 'host', 'source', 'level', 'stage', 'rule_id', 'cves', 'path', 'line', 'record', 'ips', 'users', 'mailboxes', 'excerpt'];

function row(e: TimelineEvent): Record<string, unknown> {
  // Timesketch: datetime as ISO 8601, timestamp in microseconds since the epoch
  const { time, message, ...rest } = e;
  return { message, datetime: new Date(time).toISOString(), timestamp: time * 1000, ...rest };
}

export function renderTimelineCsv(t: Timeline): string {
  const lines = [COLUMNS.map(csvCell).join(',')];
  for (const e of t.events) {
    const r = row(e);
    lines.push(COLUMNS.map((c) => csvCell(r[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function renderTimelineJsonl(t: Timeline): string {
  return t.events.map((e) => JSON.stringify(row(e))).join('\n') + (t.events.length ? '\n' : '');
}
