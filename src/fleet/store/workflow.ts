import type { Db } from '../db/db.js';
import { STATES, type HostState } from './hosts.js';
import type { User } from './users.js';

export interface HostChange {
  state?: HostState;
  /** '' clears */
  assignee?: string;
  /** epoch ms; null clears */
  deadline?: number | null;
  /** comma-separated */
  tags?: string;
}

const normTags = (s: string) => {
  const t = [...new Set(s.split(',').map((x) => x.trim().toLowerCase().slice(0, 40)).filter(Boolean))].slice(0, 20);
  return t.length ? `,${t.join(',')},` : '';
};
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(none)' : typeof v === 'number' ? new Date(v).toISOString().slice(0, 16).replace('T', ' ') : String(v));

/**
 * Apply a change to one host and write one audit entry per changed field. The caller has already checked
 * that the user may see the host and holds the analyst role. Returns how many fields changed.
 */
export async function changeHost(db: Db, hostId: number, by: User, ch: HostChange, now = Date.now()): Promise<number> {
  if (ch.state !== undefined && !STATES.includes(ch.state)) throw new Error(`state must be one of ${STATES.join(', ')}`);
  return db.tx(async (t) => {
    const cur = await t.get<{ tenant_id: number; state: string; assignee: string | null; deadline: number | null; tags: string }>(
      'SELECT tenant_id, state, assignee, deadline, tags FROM hosts WHERE id = ?', [hostId]);
    if (!cur) return 0;
    const next = {
      state: ch.state ?? cur.state,
      assignee: ch.assignee === undefined ? cur.assignee : ch.assignee.trim().slice(0, 100) || null,
      deadline: ch.deadline === undefined ? cur.deadline : ch.deadline,
      tags: ch.tags === undefined ? cur.tags : normTags(ch.tags),
    };
    let n = 0;
    for (const k of ['state', 'assignee', 'deadline', 'tags'] as const) {
      if (next[k] === cur[k]) continue;
      n++;
      const fmt = k === 'tags' ? (v: unknown) => show(String(v ?? '').replace(/^,|,$/g, '')) : show;
      await t.run('INSERT INTO audit (tenant_id, host_id, user_id, username, action, detail, created_at) VALUES (?,?,?,?,?,?,?)',
        [cur.tenant_id, hostId, by.id, by.username, k, `${fmt(cur[k])} -> ${fmt(next[k])}`, now]);
    }
    if (n) await t.run('UPDATE hosts SET state = ?, assignee = ?, deadline = ?, tags = ?, updated_at = ? WHERE id = ?',
      [next.state, next.assignee, next.deadline, next.tags, now, hostId]);
    return n;
  });
}

export async function addComment(db: Db, hostId: number, by: User, body: string, now = Date.now()): Promise<void> {
  const text = body.trim().slice(0, 10_000);
  if (!text) throw new Error('comment is empty');
  await db.tx(async (t) => {
    const h = await t.get<{ tenant_id: number }>('SELECT tenant_id FROM hosts WHERE id = ?', [hostId]);
    if (!h) return;
    await t.run('INSERT INTO comments (host_id, user_id, username, body, created_at) VALUES (?,?,?,?,?)', [hostId, by.id, by.username, text, now]);
    await t.run('INSERT INTO audit (tenant_id, host_id, user_id, username, action, detail, created_at) VALUES (?,?,?,?,?,?,?)',
      [h.tenant_id, hostId, by.id, by.username, 'comment', text.slice(0, 200), now]);
  });
}

export interface AuditRow { id: number; host_id: number | null; host: string | null; username: string; action: string; detail: string; created_at: number }
export interface CommentRow { id: number; username: string; body: string; created_at: number }

export async function hostComments(db: Db, hostId: number): Promise<CommentRow[]> {
  return db.all<CommentRow>('SELECT id, username, body, created_at FROM comments WHERE host_id = ? ORDER BY id', [hostId]);
}

export async function hostAudit(db: Db, hostId: number, limit = 200): Promise<AuditRow[]> {
  return db.all<AuditRow>('SELECT a.id, a.host_id, h.name AS host, a.username, a.action, a.detail, a.created_at FROM audit a LEFT JOIN hosts h ON h.id = a.host_id WHERE a.host_id = ? ORDER BY a.id DESC LIMIT ?', [hostId, limit]);
}

/** Recent audit entries within the given tenants (admins: all, including user and token administration). */
export async function recentAudit(db: Db, tenantIds: number[] | 'all', limit = 200): Promise<AuditRow[]> {
  const cond = tenantIds === 'all' ? '1=1' : tenantIds.length ? `a.tenant_id IN (${tenantIds.map(() => '?').join(',')})` : '1=0';
  return db.all<AuditRow>(`SELECT a.id, a.host_id, h.name AS host, a.username, a.action, a.detail, a.created_at FROM audit a LEFT JOIN hosts h ON h.id = a.host_id WHERE ${cond} ORDER BY a.id DESC LIMIT ?`,
    [...(tenantIds === 'all' ? [] : tenantIds), limit]);
}

export async function auditAdmin(db: Db, by: User, action: string, detail: string): Promise<void> {
  await db.run('INSERT INTO audit (tenant_id, host_id, user_id, username, action, detail, created_at) VALUES (?,?,?,?,?,?,?)',
    [null, null, by.id, by.username, action, detail.slice(0, 500), Date.now()]);
}
