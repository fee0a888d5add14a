import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { App } from '../app.js';
import { DbUnavailableError } from '../db/db.js';
import { roleRank } from '../scope.js';
import { sessionPrincipal, tokenPrincipal, type Principal } from '../store/users.js';
import { errorPage } from '../views/misc.js';
import { HttpError, parseCookies, readForm, redirect, sendHtml, sendJson } from './io.js';
import type { Ctx, Route } from './router.js';

export const SESSION_COOKIE = 'exhunt_sid';

export const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function securityHeaders(res: ServerResponse, secure: boolean): void {
  res.setHeader('content-security-policy', CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'same-origin'); // no-referrer would make Chromium send 'Origin: null' on our own forms
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cache-control', 'no-store');
  if (secure) res.setHeader('strict-transport-security', 'max-age=31536000');
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const fwd = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
  return fwd || req.socket.remoteAddress || 'unknown';
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

async function authenticate(app: App, req: IncomingMessage): Promise<Principal | undefined> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    return m ? tokenPrincipal(app.db, m[1]!) : undefined;
  }
  const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  return sid ? sessionPrincipal(app.db, sid) : undefined;
}

/** Is the caller allowed on this route? Returns the refusal status, or 0. */
export function refusal(route: Route, p: Principal | undefined): 0 | 401 | 403 {
  if (route.access.public) return 0;
  if (!p) return 401;
  if (roleRank(p.user.role) < roleRank(route.access.role)) return 403;
  if (p.scopes) {
    // API tokens reach only API routes that name a scope the token holds
    if (route.kind !== 'api' || !route.access.token || !p.scopes.includes(route.access.token)) return 403;
  }
  return 0;
}

/**
 * Requests from a cookie session that change state must carry the session's CSRF token (header
 * x-csrf-token, form field or query parameter _csrf) and, when the browser sends one, a same-origin Origin.
 */
function csrfOk(ctx: Ctx, form: URLSearchParams | undefined): boolean {
  const p = ctx.principal;
  if (!p?.csrf) return true;
  const given = String(ctx.req.headers['x-csrf-token'] ?? '') || form?.get('_csrf') || ctx.url.searchParams.get('_csrf') || '';
  return given !== '' && same(given, p.csrf);
}

function originOk(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function fail(ctx: Ctx, route: Route | undefined, status: number, message: string): void {
  if (ctx.res.headersSent) { ctx.res.destroy(); return; }
  const wantsJson = route?.kind === 'api' || ctx.url.pathname.startsWith('/api/');
  if (wantsJson) sendJson(ctx.res, status, { error: message });
  else sendHtml(ctx.res, status, errorPage(ctx.principal, status, message));
}

export async function dispatch(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  securityHeaders(res, app.opts.secureCookies);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    res.writeHead(400).end();
    return;
  }
  const ctx: Ctx = { req, res, url, params: {} };
  const m = app.router.match(req.method ?? 'GET', url.pathname);
  const route = m.route;
  try {
    if (!route) {
      req.resume();
      return fail(ctx, undefined, m.methodMismatch ? 405 : 404, m.methodMismatch ? 'method not allowed' : 'not found');
    }
    ctx.params = m.params;
    if (!route.access.public) {
      ctx.principal = await authenticate(app, req);
      const why = refusal(route, ctx.principal);
      if (why) {
        req.resume();
        if (why === 401 && route.kind === 'page' && route.method === 'GET') {
          return redirect(res, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
        }
        return fail(ctx, route, why, why === 401 ? 'log in first' : 'not allowed for your role or token');
      }
    }
    if (route.method === 'POST') {
      if (!originOk(req)) { req.resume(); return fail(ctx, route, 403, 'cross-origin request refused'); }
      const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      if (ctx.principal?.csrf) {
        const form = isForm ? await readForm(req) : undefined;
        if (form) ctx.form = form;
        if (!csrfOk(ctx, form)) return fail(ctx, route, 403, 'missing or wrong CSRF token: reload the page and try again');
      }
    }
    await route.handler(ctx);
  } catch (e) {
    if (e instanceof HttpError) return fail(ctx, route, e.status, e.message);
    if (e instanceof DbUnavailableError) return fail(ctx, route, 503, 'the database is unavailable; try again shortly');
    console.error('exhunt serve: request failed:', e);
    return fail(ctx, route, 500, 'internal error');
  }
}
