import type { Db, Dialect } from './db.js';

// One schema for both databases. `{ID}` becomes the dialect's auto-increment key; everything else is
// plain SQL both engines accept. Append new migrations; never edit an applied one.
const MIGRATIONS: { version: number; name: string; sql: string[] }[] = [
  {
    version: 1,
    name: 'initial',
    sql: [
      `CREATE TABLE tenants (id {ID}, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)`,
      `CREATE TABLE users (id {ID}, username TEXT NOT NULL UNIQUE, pw_hash TEXT NOT NULL,
        role TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)`,
      `CREATE TABLE user_tenants (user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, PRIMARY KEY (user_id, tenant_id))`,
      `CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)`,
      `CREATE TABLE api_tokens (id {ID}, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, created_at BIGINT NOT NULL,
        revoked_at BIGINT, last_used_at BIGINT)`,
      `CREATE TABLE hosts (id {ID}, tenant_id BIGINT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
        verdict TEXT NOT NULL, verdict_rank INTEGER NOT NULL, confidence TEXT NOT NULL, exposure TEXT NOT NULL,
        build TEXT, reason TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'new', assignee TEXT,
        deadline BIGINT, tags TEXT NOT NULL DEFAULT '', last_scan_id BIGINT, last_scan_at BIGINT NOT NULL,
        first_seen BIGINT NOT NULL, finding_count INTEGER NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL,
        UNIQUE (tenant_id, name))`,
      `CREATE INDEX hosts_verdict ON hosts (verdict_rank, name)`,
      `CREATE INDEX hosts_last_scan ON hosts (last_scan_at)`,
      `CREATE INDEX hosts_state ON hosts (state, name)`,
      `CREATE INDEX hosts_deadline ON hosts (deadline)`,
      `CREATE INDEX hosts_name ON hosts (name)`,
      `CREATE INDEX hosts_tenant_verdict ON hosts (tenant_id, verdict_rank, name)`,
      `CREATE TABLE host_cves (cve TEXT NOT NULL, host_id BIGINT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
        PRIMARY KEY (cve, host_id))`,
      `CREATE TABLE host_fixes (fix TEXT NOT NULL, host_id BIGINT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
        PRIMARY KEY (fix, host_id))`,
      `CREATE TABLE scans (id {ID}, host_id BIGINT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
        tenant_id BIGINT NOT NULL, job_id TEXT NOT NULL, verdict TEXT NOT NULL, confidence TEXT NOT NULL,
        reason TEXT NOT NULL, stages TEXT NOT NULL, started BIGINT NOT NULL, finished BIGINT NOT NULL,
        received_at BIGINT NOT NULL, first_evidence BIGINT, last_evidence BIGINT, attacker_ips TEXT NOT NULL,
        coverage TEXT NOT NULL, exposure TEXT, finding_count INTEGER NOT NULL, tool_version TEXT NOT NULL,
        UNIQUE (job_id, host_id))`,
      `CREATE INDEX scans_host ON scans (host_id, finished)`,
      `CREATE INDEX scans_received ON scans (received_at)`,
      `CREATE TABLE findings (id {ID}, scan_id BIGINT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        host_id BIGINT NOT NULL, rule_id TEXT NOT NULL, title TEXT NOT NULL, rule_source TEXT NOT NULL,
        level TEXT NOT NULL, stage TEXT NOT NULL, cves TEXT NOT NULL, attack TEXT NOT NULL, time BIGINT,
        path TEXT NOT NULL, line INTEGER, record INTEGER, excerpt TEXT NOT NULL, entities TEXT NOT NULL)`,
      `CREATE INDEX findings_scan ON findings (scan_id)`,
      `CREATE TABLE indicators (value TEXT NOT NULL, kind TEXT NOT NULL, scan_id BIGINT NOT NULL
        REFERENCES scans(id) ON DELETE CASCADE, host_id BIGINT NOT NULL, tenant_id BIGINT NOT NULL,
        PRIMARY KEY (value, kind, scan_id))`,
      `CREATE TABLE jobs (id TEXT PRIMARY KEY, tenant_id BIGINT NOT NULL REFERENCES tenants(id), host TEXT,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, path TEXT NOT NULL, size BIGINT NOT NULL,
        error TEXT, created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        lease_until BIGINT, worker TEXT, hosts_ingested INTEGER NOT NULL DEFAULT 0)`,
      `CREATE INDEX jobs_status ON jobs (status, created_at)`,
      `CREATE TABLE comments (id {ID}, host_id BIGINT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
        user_id BIGINT, username TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL)`,
      `CREATE INDEX comments_host ON comments (host_id, id)`,
      `CREATE TABLE audit (id {ID}, tenant_id BIGINT, host_id BIGINT, user_id BIGINT, username TEXT NOT NULL,
        action TEXT NOT NULL, detail TEXT NOT NULL, created_at BIGINT NOT NULL)`,
      `CREATE INDEX audit_host ON audit (host_id, id)`,
      `CREATE INDEX audit_time ON audit (created_at)`,
    ],
  },
  {
    version: 2,
    name: 'host-side indexes',
    // ingest replaces a host's CVE and fix rows on every rescan: without these it scanned both tables
    sql: [
      `CREATE INDEX host_cves_host ON host_cves (host_id)`,
      `CREATE INDEX host_fixes_host ON host_fixes (host_id)`,
      `CREATE INDEX indicators_scan ON indicators (scan_id)`,
    ],
  },
  {
    version: 3,
    name: 'default host order',
    // the host list's default order (worst verdict first, then name) read straight from an index
    sql: [`CREATE INDEX hosts_verdict_desc ON hosts (verdict_rank DESC, name ASC)`],
  },
  {
    version: 4,
    name: 'host orders with name tie-break',
    sql: [
      `CREATE INDEX hosts_last_scan_name ON hosts (last_scan_at, name)`,
      `CREATE INDEX hosts_findings_name ON hosts (finding_count, name)`,
      `DROP INDEX hosts_last_scan`,
    ],
  },
];

function render(sql: string, dialect: Dialect): string {
  return sql.replaceAll('{ID}', dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGSERIAL PRIMARY KEY');
}

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Bring the schema up to date; safe to call from several processes at once. */
export async function migrate(db: Db): Promise<number> {
  await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
    applied_at BIGINT NOT NULL)`);
  return db.tx(async (t) => {
    if (t.dialect === 'postgres') await t.run('SELECT pg_advisory_xact_lock(74201)');
    const done = new Set((await t.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    let applied = 0;
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const s of m.sql) await t.run(render(s, t.dialect));
      await t.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      applied++;
    }
    return applied;
  });
}
