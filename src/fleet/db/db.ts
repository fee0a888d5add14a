// One small async interface over SQLite (better-sqlite3) and PostgreSQL (pg), so every store module is
// written once. SQL uses `?` placeholders; the PostgreSQL adapter rewrites them to $1..$n.

export type Dialect = 'sqlite' | 'postgres';
export type Param = string | number | null;

export interface Db {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  run(sql: string, params?: readonly Param[]): Promise<{ changes: number }>;
  /** Run statements as one transaction; the callback's Db is bound to that transaction. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Open a database from a CLI value: a postgres:// URL, or a file path (':memory:' for tests). */
export async function openDb(target: string): Promise<Db> {
  if (/^postgres(ql)?:\/\//i.test(target)) {
    const { openPostgres } = await import('./db-pg.js');
    return openPostgres(target);
  }
  const { openSqlite } = await import('./db-sqlite.js');
  return openSqlite(target);
}

/** Thrown when the database cannot be reached; the HTTP layer answers 503 instead of 500. */
export class DbUnavailableError extends Error {
  override name = 'DbUnavailableError';
}
