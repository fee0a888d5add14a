import type { Db } from '../db/db.js';
import { scopeSql, type Scope } from '../scope.js';

export interface JobRow {
  id: string; tenant_id: number; host: string | null; status: 'queued' | 'running' | 'done' | 'failed'; attempts: number;
  path: string; size: number; error: string | null; created_by: number | null; created_at: number; updated_at: number;
  lease_until: number | null; worker: string | null; hosts_ingested: number;
}

export const MAX_ATTEMPTS = 3;

export async function createJob(db: Db, j: { id: string; tenantId: number; host?: string; path: string; size: number; createdBy?: number }): Promise<void> {
  const now = Date.now();
  await db.run('INSERT INTO jobs (id, tenant_id, host, status, path, size, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)',
    [j.id, j.tenantId, j.host ?? null, 'queued', j.path, j.size, j.createdBy ?? null, now, now]);
}

export async function getJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db.get<JobRow>('SELECT * FROM jobs WHERE id = ?', [id]);
}

export async function listJobs(db: Db, scope: Scope, limit = 100): Promise<(JobRow & { tenant: string })[]> {
  const s = scopeSql(scope, 'j.tenant_id');
  return db.all(`SELECT j.*, t.name AS tenant FROM jobs j JOIN tenants t ON t.id = j.tenant_id WHERE ${s.sql} ORDER BY j.created_at DESC LIMIT ?`, [...s.params, limit]);
}

/**
 * Claim the oldest runnable job: queued, or running with an expired lease (its worker died). The status
 * re-check in the outer WHERE makes the claim safe when several runners race for the same row.
 */
export async function claimJob(db: Db, worker: string, leaseMs: number, now = Date.now()): Promise<JobRow | undefined> {
  const cond = `(status = 'queued' OR (status = 'running' AND lease_until < ?))`;
  return db.get<JobRow>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, worker = ?, updated_at = ?
     WHERE id = (SELECT id FROM jobs WHERE ${cond} ORDER BY created_at LIMIT 1) AND ${cond} RETURNING *`,
    [now + leaseMs, worker, now, now, now]);
}

/** Mark a job running for a worker that got it from an external queue (BullMQ). */
export async function startJob(db: Db, id: string, worker: string, leaseMs: number): Promise<JobRow | undefined> {
  const now = Date.now();
  return db.get<JobRow>(`UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, worker = ?, updated_at = ? WHERE id = ? AND status <> 'done' RETURNING *`,
    [now + leaseMs, worker.slice(0, 100), now, id]);
}

export async function extendLease(db: Db, id: string, leaseMs: number): Promise<void> {
  await db.run(`UPDATE jobs SET lease_until = ? WHERE id = ? AND status = 'running'`, [Date.now() + leaseMs, id]);
}

export async function finishJob(db: Db, id: string, hosts: number): Promise<void> {
  await db.run(`UPDATE jobs SET status = 'done', error = NULL, lease_until = NULL, hosts_ingested = ?, updated_at = ? WHERE id = ?`, [hosts, Date.now(), id]);
}

/** A failed attempt goes back to the queue until MAX_ATTEMPTS; returns whether it will be retried. */
export async function failJob(db: Db, id: string, error: string, final = false): Promise<boolean> {
  const j = await getJob(db, id);
  if (!j) return false;
  const retry = !final && j.attempts < MAX_ATTEMPTS;
  await db.run('UPDATE jobs SET status = ?, error = ?, lease_until = NULL, updated_at = ? WHERE id = ?', [retry ? 'queued' : 'failed', error.slice(0, 2000), Date.now(), id]);
  return retry;
}

export async function jobsRunnable(db: Db, now = Date.now()): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued' OR (status = 'running' AND lease_until < ?)`, [now]))!.n;
}
