import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobQueue } from './types.js';

export const QUEUE_NAME = 'exhunt-scan';

export interface RedisTarget { url: string; prefix: string }

/** `redis://host:port/db?prefix=name`: the prefix keeps test runs and deployments apart. */
export function parseRedisTarget(target: string): RedisTarget {
  const u = new URL(target);
  const prefix = u.searchParams.get('prefix') ?? 'exhunt';
  u.searchParams.delete('prefix');
  return { url: u.toString(), prefix };
}

export function redisConnection(url: string): Redis {
  // BullMQ workers block on Redis: they must retry forever rather than fail a command after N tries.
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/** The server's side of BullMQ: it only adds jobs; `exhunt worker` processes run them. */
export class BullQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly conn: Redis;
  private readonly queue: Queue;

  constructor(target: string) {
    const t = parseRedisTarget(target);
    this.conn = redisConnection(t.url);
    this.conn.on('error', () => undefined); // reconnects by itself; enqueue reports the failure
    this.queue = new Queue(QUEUE_NAME, { connection: this.conn, prefix: t.prefix });
  }

  async enqueue(jobId: string): Promise<void> {
    // jobId makes the add idempotent: re-enqueueing after a restart never duplicates a job
    await this.queue.add('scan', { jobId }, {
      jobId, attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 10_000, removeOnFail: 10_000,
    });
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed');
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.conn.disconnect();
  }
}
