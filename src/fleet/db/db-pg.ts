import pg from 'pg';
import { DbUnavailableError, type Db, type Param } from './db.js';

/** `?` -> `$1..$n`. Our SQL never puts `?` inside string literals. */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

// BIGINT (20) and NUMERIC counts come back as strings by default; our values fit in a double.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);
function wrap(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  const msg = (e as Error).message ?? '';
  if ((code && UNAVAILABLE.has(code)) || /Connection terminated|connect ECONNREFUSED/.test(msg)) {
    return new DbUnavailableError(`database unavailable: ${msg}`);
  }
  return e;
}

type Queryable = { query: (text: string, values?: unknown[]) => Promise<pg.QueryResult> };

function bind(q: Queryable, pool: pg.Pool | null): Db {
  const exec = async (sql: string, params: readonly Param[] = []) => {
    try {
      return await q.query(numbered(sql), params as unknown[]);
    } catch (e) {
      throw wrap(e);
    }
  };
  const db: Db = {
    dialect: 'postgres',
    async all<T>(sql: string, params?: readonly Param[]) {
      return (await exec(sql, params)).rows as T[];
    },
    async get<T>(sql: string, params?: readonly Param[]) {
      return (await exec(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, params?: readonly Param[]) {
      return { changes: (await exec(sql, params)).rowCount ?? 0 };
    },
    async tx<T>(fn: (d: Db) => Promise<T>): Promise<T> {
      if (!pool) return fn(db);
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw wrap(e);
      }
      const inner = bind(client, null);
      try {
        await client.query('BEGIN');
        const out = await fn(inner);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw wrap(e);
      } finally {
        client.release();
      }
    },
    async close() {
      if (pool) await pool.end();
    },
  };
  return db;
}

/**
 * `postgres://host/db?schema=name` puts every table in that schema (created if missing): tests use a
 * fresh schema per run and drop it afterwards.
 */
export async function openPostgres(url: string): Promise<Db> {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: u.toString(),
    max: 10,
    types,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined); // an idle client dropped by the server: the next query reconnects
  if (schema) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (e) {
      await pool.end();
      throw wrap(e);
    }
  }
  return bind(pool, pool);
}
