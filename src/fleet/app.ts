import type { Db } from './db/db.js';
import type { JobQueue } from './queue/types.js';
import { RateLimiter } from './http/rate-limit.js';
import { Router } from './http/router.js';

export interface ServeOptions {
  /** where uploads are kept until scanned */
  dataDir: string;
  maxUploadBytes: number;
  maxResultBytes: number;
  /** mark cookies Secure: set when served over TLS or behind a TLS proxy */
  secureCookies: boolean;
  /** use X-Forwarded-For for rate-limit keys (only behind a proxy that sets it) */
  trustProxy: boolean;
}

export const DEFAULT_OPTIONS: Omit<ServeOptions, 'dataDir'> = {
  maxUploadBytes: 2 * 1024 ** 3,
  maxResultBytes: 64 * 1024 ** 2,
  secureCookies: false,
  trustProxy: false,
};

export interface App {
  db: Db;
  queue: JobQueue;
  opts: ServeOptions;
  router: Router;
  limits: { loginIp: RateLimiter; loginUser: RateLimiter; upload: RateLimiter };
}

export function newLimits(): App['limits'] {
  return {
    loginIp: new RateLimiter(20, 5 * 60_000),
    loginUser: new RateLimiter(10, 5 * 60_000),
    upload: new RateLimiter(60, 60_000),
  };
}
