import { randomUUID } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { Worker, type Job } from 'bullmq';
import { WorkerApi } from './client.js';
import { parseRedisTarget, QUEUE_NAME, redisConnection } from './queue/bullmq.js';
import type { ScanFn } from './queue/types.js';

export interface RemoteWorkerConfig {
  queue: string;
  server: string;
  token: string;
  scan: () => Promise<ScanFn>;
  concurrency?: number;
  /** how long a job stays locked without a heartbeat: a killed worker's job is retried after this */
  lockMs?: number;
  log?: (line: string) => void;
  /** how long close() waits for the running job before giving up on it (default 15 s) */
  closeTimeoutMs?: number;
}

/**
 * One scan job on a remote worker: mark it started, fetch the collection from the server, scan it, and post
 * the result, which the server stores keyed by the job id (so a retry after a crash stores it once).
 */
export async function runRemoteJob(api: WorkerApi, jobId: string, name: string, scan: ScanFn, log: (l: string) => void): Promise<void> {
  const job = await api.start(jobId, name);
  log(`job ${jobId} started (attempt ${job.attempts})`);
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-job-'));
  try {
    const zip = join(dir, 'collection.zip');
    await api.download(jobId, zip);
    const result = await scan(zip, job.host ? { host: job.host } : {});
    const out = await api.submit(jobId, result);
    log(`job ${jobId} done: ${out.hosts} host(s), ${out.findings} finding(s), ${out.duplicates} already stored`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startRemoteWorker(cfg: RemoteWorkerConfig): Promise<{ close(): Promise<void> }> {
  const t = parseRedisTarget(cfg.queue);
  const conn = redisConnection(t.url);
  conn.on('error', () => undefined); // ioredis reconnects; BullMQ resumes when Redis is back
  const api = new WorkerApi(cfg.server, cfg.token);
  const name = `${hostname()}-${process.pid}-${randomUUID().slice(0, 4)}`;
  const log = cfg.log ?? ((l: string) => console.log(l));
  const scan = await cfg.scan();
  const lock = cfg.lockMs ?? 30_000;
  const worker = new Worker(QUEUE_NAME, async (job: Job<{ jobId: string }>) => {
    try {
      await runRemoteJob(api, job.data.jobId, name, scan, log);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log(`job ${job.data.jobId} failed: ${msg}`);
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await api.fail(job.data.jobId, msg, final).catch(() => undefined);
      throw e;
    }
  }, {
    connection: conn, prefix: t.prefix, concurrency: cfg.concurrency ?? 1,
    lockDuration: lock, stalledInterval: Math.max(1000, Math.floor(lock / 2)), maxStalledCount: 3,
  });
  worker.on('error', (e) => log(`queue error: ${e.message}`));
  await worker.waitUntilReady();
  log(`worker ${name} ready on ${t.prefix}:${QUEUE_NAME}`);
  return {
    async close() {
      // graceful: let the running job finish; a connection that never came back must not hang the exit
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), cfg.closeTimeoutMs ?? 15_000); });
      if ((await Promise.race([worker.close(), forced])) === 'timeout') {
        // BullMQ's own forced close can wait on a blocking connection that reconnected; cap it too
        await Promise.race([worker.close(true).catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
        worker.disconnect().catch(() => undefined);
      }
      clearTimeout(timer);
      conn.disconnect();
    },
  };
}
