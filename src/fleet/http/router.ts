import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal, TokenScope } from '../store/users.js';
import type { Role } from '../scope.js';

/**
 * Who may call a route. `public` routes are the login page and its stylesheet only. Every other route
 * names the least role it needs and the API-token scope that admits a token (none: cookie sessions only).
 */
export type Access = { public: true } | { public?: false; role: Role; token?: TokenScope };

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  principal?: Principal;
  /** the parsed form body, when the dispatcher had to read it for the CSRF check */
  form?: URLSearchParams;
}

export type Handler = (ctx: Ctx) => Promise<void>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  /** HTML page (anonymous callers are sent to the login page) or API (anonymous callers get 401) */
  kind: 'page' | 'api';
  handler: Handler;
}

interface Compiled extends Route { re: RegExp; names: string[] }

export class Router {
  private readonly compiled: Compiled[] = [];

  add(route: Route): this {
    const names: string[] = [];
    const re = new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:([a-z]+)/g, (_, n: string) => { names.push(n); return '([^/]+)'; })}$`);
    this.compiled.push({ ...route, re, names });
    return this;
  }

  /** The registered routes, for the security test and the docs. */
  get routes(): readonly Route[] {
    return this.compiled;
  }

  match(method: string, pathname: string): { route?: Route; params: Record<string, string>; methodMismatch: boolean } {
    let methodMismatch = false;
    for (const r of this.compiled) {
      const m = r.re.exec(pathname);
      if (!m) continue;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) { methodMismatch = true; continue; }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1] ?? ''); });
      return { route: r, params, methodMismatch: false };
    }
    return { params: {}, methodMismatch };
  }
}
