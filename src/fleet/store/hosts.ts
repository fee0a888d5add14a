import type { Db, Param } from '../db/db.js';
import { scopeSql, type Scope } from '../scope.js';

export const STATES = ['new', 'triaged', 'mitigated', 'patched', 'cleaned', 'rebuilt', 'verified'] as const;
export type HostState = (typeof STATES)[number];

export interface HostRow {
  id: number;
  tenant_id: number;
  tenant: string;
  name: string;
  verdict: string;
  verdict_rank: number;
  confidence: string;
  exposure: string;
  build: string | null;
  reason: string;
  state: HostState;
  assignee: string | null;
  deadline: number | null;
  tags: string;
  last_scan_id: number | null;
  last_scan_at: number;
  finding_count: number;
}

export interface HostFilter {
  verdict?: string;
  exposure?: string;
  state?: string;
  tenant?: string;
  tag?: string;
  cve?: string;
  fix?: string;
  assignee?: string;
  /** substring of the host name */
  q?: string;
  /** last scan older than this many days */
  staleDays?: number;
  overdue?: boolean;
}

export const SORTS = { name: 'h.name', verdict: 'h.verdict_rank', last_scan: 'h.last_scan_at', deadline: 'h.deadline', findings: 'h.finding_count', state: 'h.state', tenant: 't.name' } as const;
export type SortKey = keyof typeof SORTS;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(scope: Scope, f: HostFilter, now: number): { sql: string; params: Param[] } {
  const s = scopeSql(scope, 'h.tenant_id');
  const parts = [s.sql];
  const params: Param[] = [...s.params];
  const eq = (col: string, v: string | undefined) => {
    if (v) { parts.push(`${col} = ?`); params.push(v); }
  };
  eq('h.verdict', f.verdict);
  eq('h.exposure', f.exposure);
  eq('h.state', f.state);
  if (f.tenant) { parts.push('h.tenant_id = (SELECT id FROM tenants WHERE name = ?)'); params.push(f.tenant); }
  eq('h.assignee', f.assignee);
  if (f.tag) { parts.push(`h.tags LIKE ? ESCAPE '\\'`); params.push(`%,${likeEscape(f.tag.toLowerCase())},%`); }
  // EXISTS probes the (cve, host_id) key per row, so an ordered index scan can stop after one page
  if (f.cve) { parts.push('EXISTS (SELECT 1 FROM host_cves c WHERE c.cve = ? AND c.host_id = h.id)'); params.push(f.cve.toUpperCase()); }
  if (f.fix) { parts.push('EXISTS (SELECT 1 FROM host_fixes x WHERE x.fix = ? AND x.host_id = h.id)'); params.push(f.fix); }
  if (f.q) { parts.push(`LOWER(h.name) LIKE ? ESCAPE '\\'`); params.push(`%${likeEscape(f.q.toLowerCase())}%`); }
  if (f.staleDays !== undefined && f.staleDays >= 0) { parts.push('h.last_scan_at < ?'); params.push(now - f.staleDays * 86_400_000); }
  if (f.overdue) { parts.push(`h.deadline IS NOT NULL AND h.deadline < ? AND h.state <> 'verified'`); params.push(now); }
  return { sql: parts.join(' AND '), params };
}

const FROM = 'FROM hosts h JOIN tenants t ON t.id = h.tenant_id';
const COLS = 'h.id, h.tenant_id, t.name AS tenant, h.name, h.verdict, h.verdict_rank, h.confidence, h.exposure, h.build, h.reason, h.state, h.assignee, h.deadline, h.tags, h.last_scan_id, h.last_scan_at, h.finding_count';

/** `total` stops counting at COUNT_CAP (then `capped`, shown as "2000+"): a page costs the same whatever the fleet size. */
export interface HostPage { rows: HostRow[]; total: number; capped: boolean; page: number; pageSize: number }

export const COUNT_CAP = 2_000;

export async function listHosts(db: Db, scope: Scope, f: HostFilter, opts: { sort?: SortKey; desc?: boolean; page?: number; pageSize?: number; now?: number } = {}): Promise<HostPage> {
  const now = opts.now ?? Date.now();
  const w = where(scope, f, now);
  const pageSize = Math.min(Math.max(opts.pageSize ?? 50, 1), 500);
  const page = Math.max(opts.page ?? 1, 1);
  const col = SORTS[opts.sort ?? 'verdict'];
  const dir = (opts.desc ?? opts.sort === undefined) ? 'DESC' : 'ASC';
  // NULL deadlines last either way; name breaks ties so pages are stable
  // The name tie-break runs the way an index on (column, name) can be read, so a page stops after 50 rows
  // instead of sorting every match; the verdict has indexes for both (rank DESC, name) and (rank, name).
  const tie = col === 'h.verdict_rank' || col === 't.name' ? 'ASC' : dir;
  const order = col === 'h.deadline' ? `(h.deadline IS NULL), h.deadline ${dir}, h.name` : col === 'h.name' ? `h.name ${dir}` : `${col} ${dir}, h.name ${tie}`;
  const rows = await db.all<HostRow>(`SELECT ${COLS} ${FROM} WHERE ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [...w.params, pageSize, (page - 1) * pageSize]);
  // the count needs no join (every filter is on hosts) and stops at the cap, or at least past this page
  const cap = Math.max(COUNT_CAP, page * pageSize + 1);
  const n = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM hosts h WHERE ${w.sql} LIMIT ?) x`, [...w.params, cap]))!.n;
  return { rows, total: n, capped: n >= cap, page, pageSize };
}

/** Every matching host, for CSV export and bulk actions, in pages so memory stays bounded. */
export async function* iterateHosts(db: Db, scope: Scope, f: HostFilter, sort: SortKey = 'name'): AsyncGenerator<HostRow> {
  for (let page = 1; ; page++) {
    const p = await listHosts(db, scope, f, { sort, desc: false, page, pageSize: 500 });
    yield* p.rows;
    if (p.rows.length < 500) return;
  }
}

export async function getHost(db: Db, scope: Scope, id: number): Promise<HostRow | undefined> {
  const s = scopeSql(scope, 'h.tenant_id');
  return db.get<HostRow>(`SELECT ${COLS} ${FROM} WHERE h.id = ? AND ${s.sql}`, [id, ...s.params]);
}

export interface ScanRow {
  id: number; job_id: string; verdict: string; confidence: string; reason: string; stages: string;
  started: number; finished: number; received_at: number; first_evidence: number | null; last_evidence: number | null;
  attacker_ips: string; coverage: string; exposure: string | null; finding_count: number; tool_version: string;
}

export async function hostScans(db: Db, hostId: number): Promise<ScanRow[]> {
  return db.all<ScanRow>('SELECT * FROM scans WHERE host_id = ? ORDER BY finished DESC, id DESC LIMIT 100', [hostId]);
}

export interface FindingRow {
  id: number; rule_id: string; title: string; rule_source: string; level: string; stage: string; cves: string;
  attack: string; time: number | null; path: string; line: number | null; record: number | null; excerpt: string; entities: string;
}

export async function scanFindings(db: Db, scanId: number, limit = 1000): Promise<FindingRow[]> {
  return db.all<FindingRow>('SELECT id, rule_id, title, rule_source, level, stage, cves, attack, time, path, line, record, excerpt, entities FROM findings WHERE scan_id = ? ORDER BY time, id LIMIT ?', [scanId, limit]);
}

export interface Overview {
  total: number;
  byVerdict: Record<string, number>;
  byExposure: Record<string, number>;
  byState: Record<string, number>;
  overdue: HostRow[];
  overdueCount: number;
  /** per UTC day: scans received, by verdict */
  daily: { day: number; verdict: string; n: number }[];
}

export async function overview(db: Db, scope: Scope, now = Date.now(), days = 30): Promise<Overview> {
  const s = scopeSql(scope, 'h.tenant_id');
  const group = async (col: string) => {
    const rows = await db.all<{ k: string; n: number }>(`SELECT ${col} AS k, COUNT(*) AS n FROM hosts h WHERE ${s.sql} GROUP BY ${col}`, s.params);
    return Object.fromEntries(rows.map((r) => [r.k, r.n]));
  };
  const byVerdict = await group('h.verdict');
  const byExposure = await group('h.exposure');
  const byState = await group('h.state');
  const total = Object.values(byVerdict).reduce((a, b) => a + b, 0);
  const od = await listHosts(db, scope, { overdue: true }, { sort: 'deadline', desc: false, pageSize: 20, now });
  // the overview shows the exact number past deadline, not the list's capped count
  const odCount = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM hosts h WHERE ${s.sql} AND h.deadline IS NOT NULL AND h.deadline < ? AND h.state <> 'verified'`, [...s.params, now]))!.n;
  const since = Math.floor(now / 86_400_000) * 86_400_000 - (days - 1) * 86_400_000;
  const ss = scopeSql(scope, 'tenant_id');
  const raw = await db.all<{ received_at: number; verdict: string }>(`SELECT received_at, verdict FROM scans WHERE received_at >= ? AND ${ss.sql}`, [since, ...ss.params]);
  const m = new Map<string, number>();
  for (const r of raw) {
    const k = `${Math.floor(r.received_at / 86_400_000) * 86_400_000}|${r.verdict}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  const daily = [...m].map(([k, n]) => { const [d, v] = k.split('|'); return { day: Number(d), verdict: v!, n }; });
  return { total, byVerdict, byExposure, byState, overdue: od.rows, overdueCount: odCount, daily };
}

export interface SearchHit { host_id: number; host: string; tenant: string; kind: string; value: string; scans: number; last_seen: number; verdict: string }

/** Which hosts saw this address, hash, mailbox, account or file? Exact match, or prefix with a trailing '*'. */
export async function searchIndicators(db: Db, scope: Scope, query: string, limit = 200): Promise<SearchHit[]> {
  const q = query.trim().toLowerCase().slice(0, 500);
  if (!q) return [];
  const s = scopeSql(scope, 'i.tenant_id');
  const prefix = q.endsWith('*') && q.length > 3;
  const cond = prefix ? 'i.value >= ? AND i.value < ?' : 'i.value = ?';
  const p: Param[] = prefix ? [q.slice(0, -1), `${q.slice(0, -1)}\u{10FFFF}`] : [q];
  return db.all<SearchHit>(
    `SELECT i.host_id, h.name AS host, t.name AS tenant, i.kind, i.value, COUNT(*) AS scans, MAX(sc.received_at) AS last_seen, h.verdict
     FROM indicators i JOIN hosts h ON h.id = i.host_id JOIN tenants t ON t.id = h.tenant_id JOIN scans sc ON sc.id = i.scan_id
     WHERE ${cond} AND ${s.sql}
     GROUP BY i.host_id, h.name, t.name, i.kind, i.value, h.verdict, h.verdict_rank ORDER BY h.verdict_rank DESC, h.name LIMIT ?`,
    [...p, ...s.params, limit],
  );
}
