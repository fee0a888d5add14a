import { createServer, type Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openDb, type Db } from './db/db.js';
import { migrate } from './db/migrations.js';
import { DEFAULT_OPTIONS, newLimits, type App, type ServeOptions } from './app.js';
import { Router } from './http/router.js';
import { dispatch } from './http/dispatch.js';
import { sessionRoutes } from './routes/session.js';
import { pageRoutes } from './routes/pages.js';
import { apiRoutes } from './routes/api.js';
import { adminRoutes } from './routes/admin.js';
import { InProcQueue, type InProcOptions } from './queue/inproc.js';
import { BullQueue } from './queue/bullmq.js';
import { defaultScan, type JobQueue, type ScanFn } from './queue/types.js';

export interface FleetConfig extends Partial<Omit<ServeOptions, 'dataDir'>> {
  /** file path (SQLite) or postgres:// URL */
  db: string | Db;
  /** redis:// URL for BullMQ; absent: the in-process runner */
  queue?: string;
  dataDir: string;
  /** the scan the in-process runner uses (default: src/scan/run-scan.ts) */
  scan?: ScanFn;
  inproc?: InProcOptions;
}

export interface Fleet {
  app: App;
  server: Server;
  /** start listening; resolves to the bound port */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export function buildRouter(app: App): Router {
  const r = new Router();
  sessionRoutes(app, r);
  pageRoutes(app, r);
  apiRoutes(app, r);
  adminRoutes(app, r);
  return r;
}

export async function openFleet(cfg: FleetConfig): Promise<Fleet> {
  const db = typeof cfg.db === 'string' ? await openDb(cfg.db) : cfg.db;
  await migrate(db);
  // refresh SQLite's planner statistics (cheap; PostgreSQL's autovacuum does this by itself)
  if (db.dialect === 'sqlite') await db.run('PRAGMA optimize');
  await mkdir(join(cfg.dataDir, 'uploads'), { recursive: true, mode: 0o700 });
  const opts: ServeOptions = { ...DEFAULT_OPTIONS, ...stripUndefined(cfg), dataDir: cfg.dataDir };
  let queue: JobQueue;
  let inproc: InProcQueue | undefined;
  if (cfg.queue) {
    queue = new BullQueue(cfg.queue);
  } else {
    const scan = cfg.scan;
    inproc = new InProcQueue(db, scan ? async () => scan : defaultScan, cfg.inproc);
    queue = inproc;
  }
  const app: App = { db, queue, opts, router: new Router(), limits: newLimits() };
  app.router = buildRouter(app);
  const server = createServer({ requestTimeout: 30 * 60_000, headersTimeout: 30_000 }, (req, res) => void dispatch(app, req, res));
  server.keepAliveTimeout = 5000;
  return {
    app,
    server,
    async listen(port, host = '127.0.0.1') {
      await new Promise<void>((res, rej) => server.once('error', rej).listen(port, host, () => res()));
      // jobs stored while the queue was away (or before a restart) are handed to it again
      if (inproc) await inproc.start(db.dialect === 'sqlite');
      else for (const j of await db.all<{ id: string }>(`SELECT id FROM jobs WHERE status IN ('queued', 'running')`)) await queue.enqueue(j.id).catch(() => undefined);
      const a = server.address();
      return typeof a === 'object' && a ? a.port : port;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
      await queue.close();
      if (typeof cfg.db === 'string') await db.close();
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k in DEFAULT_OPTIONS)) as Partial<T>;
}
