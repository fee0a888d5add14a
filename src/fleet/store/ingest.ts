import type { Db, Param } from '../db/db.js';
import { insertMany } from '../db/insert-many.js';
import { summariseExposure } from '../exposure.js';
import type { HostAssessment, ScanResult, Verdict } from '../../types.js';

export const VERDICT_RANK: Record<Verdict, number> = {
  compromised: 5, exploited: 4, attempted: 3, vulnerable: 2, inconclusive: 1, clean: 0,
};

const MAX_EXCERPT = 2000;
const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export interface IngestOutcome {
  hosts: number;
  /** hosts skipped because this job had already stored them (a retried job) */
  duplicates: number;
  findings: number;
}

/**
 * Store a scan result for one tenant. Idempotent by job id: a retried job (a worker killed after it wrote,
 * a client re-posting) stores each host's scan and findings once, never twice. Rescans keep history: each
 * scan is a row; the host summary follows the newest scan.
 */
export async function ingestResult(db: Db, args: { tenantId: number; jobId: string; result: ScanResult; now?: number }): Promise<IngestOutcome> {
  const out: IngestOutcome = { hosts: 0, duplicates: 0, findings: 0 };
  const now = args.now ?? Date.now();
  // Hosts go in transactions of up to ~20,000 findings: few commits (each one costs a WAL write), short
  // enough locks, and each host all-or-nothing.
  const hosts = args.result.hosts;
  for (let i = 0; i < hosts.length;) {
    let j = i, n = 0;
    while (j < hosts.length && (j === i || n + hosts[j]!.findings.length <= 20_000)) n += hosts[j++]!.findings.length;
    const chunk = hosts.slice(i, j);
    const stored = await db.tx(async (t) => {
      const r: number[] = [];
      for (const h of chunk) r.push(await ingestHost(t, args.tenantId, args.jobId, args.result, h, now));
      return r;
    });
    for (const k of stored) {
      if (k < 0) out.duplicates++;
      else { out.hosts++; out.findings += k; }
    }
    i = j;
  }
  return out;
}

async function ingestHost(t: Db, tenantId: number, jobId: string, r: ScanResult, h: HostAssessment, now: number): Promise<number> {
  const exp = summariseExposure(h.exposure);
  const rank = VERDICT_RANK[h.verdict];
  await t.run(
    `INSERT INTO hosts (tenant_id, name, verdict, verdict_rank, confidence, exposure, build, reason, last_scan_at, first_seen, updated_at)
     VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (tenant_id, name) DO NOTHING`,
    [tenantId, h.host, h.verdict, rank, h.confidence, exp.label, exp.build ?? null, cut(h.reason, 4000), 0, now, now],
  );
  const host = (await t.get<{ id: number; last_scan_at: number }>('SELECT id, last_scan_at FROM hosts WHERE tenant_id = ? AND name = ?', [tenantId, h.host]))!;
  const ins = await t.run(
    `INSERT INTO scans (host_id, tenant_id, job_id, verdict, confidence, reason, stages, started, finished, received_at,
       first_evidence, last_evidence, attacker_ips, coverage, exposure, finding_count, tool_version)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (job_id, host_id) DO NOTHING`,
    [host.id, tenantId, jobId, h.verdict, h.confidence, cut(h.reason, 4000), h.stages.join(','), r.started, r.finished, now,
      h.firstEvidence ?? null, h.lastEvidence ?? null, JSON.stringify(h.attackerIps.slice(0, 1000)), JSON.stringify(h.coverage),
      h.exposure ? JSON.stringify(h.exposure) : null, h.findings.length, cut(r.tool.version, 50)],
  );
  if (ins.changes === 0) return -1;
  const scan = (await t.get<{ id: number }>('SELECT id FROM scans WHERE job_id = ? AND host_id = ?', [jobId, host.id]))!;

  const rows: Param[][] = h.findings.map((f) => [
    scan.id, host.id, cut(f.rule.id, 200), cut(f.rule.title, 500), cut(f.rule.source, 500), f.level, f.stage,
    f.cves.join(','), f.attack.join(','), f.time ?? null, cut(f.evidence.path, 1000), f.evidence.line ?? null,
    f.evidence.record ?? null, cut(f.evidence.excerpt, MAX_EXCERPT), JSON.stringify(f.entities),
  ]);
  await insertMany(t, 'findings', ['scan_id', 'host_id', 'rule_id', 'title', 'rule_source', 'level', 'stage', 'cves', 'attack', 'time', 'path', 'line', 'record', 'excerpt', 'entities'], rows);

  // Search index: every address, account, mailbox, file, hash and path this scan saw, once per scan.
  const seen = new Map<string, string>();
  const add = (kind: string, v: string | undefined) => {
    if (!v) return;
    const val = v.trim().toLowerCase().slice(0, 500);
    if (val && !seen.has(`${kind}\0${val}`)) seen.set(`${kind}\0${val}`, val);
  };
  for (const ip of h.attackerIps) add('ip', ip);
  for (const f of h.findings) {
    for (const v of f.entities.ips) add('ip', v);
    for (const v of f.entities.users) add('user', v);
    for (const v of f.entities.mailboxes) add('mailbox', v);
    for (const v of f.entities.files) add('file', v);
    add('path', f.evidence.path);
  }
  for (const c of h.coverage.files) if (typeof c.sha256 === 'string' && c.status !== 'skipped') add('sha256', c.sha256);
  const ind: Param[][] = [...seen.entries()].map(([k, val]) => [val, k.slice(0, k.indexOf('\0')), scan.id, host.id, tenantId]);
  await insertMany(t, 'indicators', ['value', 'kind', 'scan_id', 'host_id', 'tenant_id'], ind, 'ON CONFLICT DO NOTHING');

  if (r.finished >= host.last_scan_at) {
    await t.run(
      `UPDATE hosts SET verdict = ?, verdict_rank = ?, confidence = ?, exposure = ?, build = ?, reason = ?, last_scan_id = ?,
         last_scan_at = ?, finding_count = ?, updated_at = ? WHERE id = ?`,
      [h.verdict, rank, h.confidence, exp.label, exp.build ?? null, cut(h.reason, 4000), scan.id, r.finished, h.findings.length, now, host.id],
    );
    const cves = new Set<string>(exp.cves);
    for (const f of h.findings) for (const c of f.cves) cves.add(c);
    await t.run('DELETE FROM host_cves WHERE host_id = ?', [host.id]);
    await insertMany(t, 'host_cves', ['cve', 'host_id'], [...cves].slice(0, 500).map((c) => [cut(c, 40), host.id]), 'ON CONFLICT DO NOTHING');
    await t.run('DELETE FROM host_fixes WHERE host_id = ?', [host.id]);
    await insertMany(t, 'host_fixes', ['fix', 'host_id'], exp.missingFixes.map((f) => [f, host.id]), 'ON CONFLICT DO NOTHING');
  }
  await t.run('INSERT INTO audit (tenant_id, host_id, user_id, username, action, detail, created_at) VALUES (?,?,?,?,?,?,?)',
    [tenantId, host.id, null, 'system', 'scan', `scan ${scan.id} (job ${cut(jobId, 64)}): ${h.verdict}, ${h.findings.length} findings`, now]);
  return h.findings.length;
}
