/** Fixed-window counters per key, bounded in memory: old windows are dropped as new ones start. */
export class RateLimiter {
  private readonly hits = new Map<string, { start: number; n: number }>();
  constructor(private readonly max: number, private readonly windowMs: number, private readonly maxKeys = 100_000) {}

  /** Count one attempt; false when the key is over its limit for this window. */
  take(key: string, now = Date.now()): boolean {
    let e = this.hits.get(key);
    if (!e || now - e.start >= this.windowMs) {
      if (this.hits.size >= this.maxKeys) this.sweep(now);
      e = { start: now, n: 0 };
      this.hits.set(key, e);
    }
    e.n++;
    return e.n <= this.max;
  }

  retryAfterSeconds(key: string, now = Date.now()): number {
    const e = this.hits.get(key);
    return e ? Math.max(1, Math.ceil((e.start + this.windowMs - now) / 1000)) : 1;
  }

  private sweep(now: number): void {
    for (const [k, e] of this.hits) if (now - e.start >= this.windowMs) this.hits.delete(k);
    if (this.hits.size >= this.maxKeys) this.hits.clear();
  }
}
