import type { Db, Param } from './db.js';

/** Multi-row INSERT in chunks that stay under both engines' bound-parameter limits. */
export async function insertMany(db: Db, table: string, cols: readonly string[], rows: readonly Param[][], suffix = ''): Promise<void> {
  if (rows.length === 0) return;
  const per = Math.max(1, Math.floor(30000 / cols.length));
  const tuple = `(${cols.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const sql = `INSERT INTO ${table} (${cols.join(',')}) VALUES ${chunk.map(() => tuple).join(',')} ${suffix}`;
    await db.run(sql, chunk.flat());
  }
}
