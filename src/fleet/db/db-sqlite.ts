import Database from 'better-sqlite3';
import type { Db, Param } from './db.js';

// better-sqlite3 is synchronous; transactions are serialised with a promise chain so an awaiting
// transaction never interleaves with another one started by a concurrent request.
export function openSqlite(file: string): Db {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // The default 2 MB page cache thrashes once the findings reach millions of rows: keep hot pages
  // (hosts, indexes) in memory and read the rest through a memory map.
  raw.pragma('cache_size = -262144');
  raw.pragma('mmap_size = 1073741824');
  raw.pragma('temp_store = MEMORY');
  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = raw.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, s);
    }
    return s;
  };
  let chain: Promise<unknown> = Promise.resolve();
  let inTx = false;
  const base = {
    dialect: 'sqlite' as const,
    async all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
      return prep(sql).all(...params) as T[];
    },
    async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
      return prep(sql).get(...params) as T | undefined;
    },
    async run(sql: string, params: readonly Param[] = []): Promise<{ changes: number }> {
      const s = prep(sql);
      if (!s.reader) return { changes: s.run(...params).changes };
      s.all(...params);
      return { changes: 0 };
    },
  };
  const db: Db = {
    ...base,
    tx<T>(fn: (d: Db) => Promise<T>): Promise<T> {
      if (inTx) return fn(db); // nested: join the outer transaction
      const p = chain.then(async () => {
        inTx = true;
        raw.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(db);
          raw.exec('COMMIT');
          return out;
        } catch (e) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          throw e;
        } finally {
          inTx = false;
        }
      });
      chain = p.catch(() => undefined);
      return p;
    },
    async close() {
      await chain;
      raw.close();
    },
  };
  return db;
}
