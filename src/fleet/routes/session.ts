import type { IncomingMessage } from 'node:http';
import type { App } from '../app.js';
import type { Router } from '../http/router.js';
import { readForm, redirect, sendHtml, send } from '../http/io.js';
import { clientIp, SESSION_COOKIE } from '../http/dispatch.js';
import { checkLogin, createSession, deleteSession } from '../store/users.js';
import { loginPage } from '../views/login.js';
import { CSS } from '../views/style.js';
import { parseCookies } from '../http/io.js';

const safeNext = (n: string | null | undefined) => (n && /^\/(?![/\\])[^\s]*$/.test(n) && !n.startsWith('/login') ? n : '/');

/** Secure when configured, or when a trusted TLS proxy says the browser came over https. */
export function cookie(app: App, req: IncomingMessage, value: string, maxAge: number): string {
  const tls = app.opts.secureCookies || (app.opts.trustProxy && String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https');
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${tls ? '; Secure' : ''}`;
}

export function sessionRoutes(app: App, r: Router): void {
  r.add({ method: 'GET', path: '/login', kind: 'page', access: { public: true }, handler: async (ctx) => {
    sendHtml(ctx.res, 200, loginPage(undefined, safeNext(ctx.url.searchParams.get('next'))));
  } });
  r.add({ method: 'GET', path: '/static/app.css', kind: 'page', access: { public: true }, handler: async (ctx) => {
    send(ctx.res, 200, CSS, 'text/css; charset=utf-8', { 'cache-control': 'public, max-age=3600' });
  } });
  r.add({ method: 'POST', path: '/login', kind: 'page', access: { public: true }, handler: async (ctx) => {
    const f = await readForm(ctx.req, 16 * 1024);
    const user = (f.get('username') ?? '').trim();
    const next = safeNext(f.get('next'));
    const ip = clientIp(ctx.req, app.opts.trustProxy);
    if (!app.limits.loginIp.take(ip) || !app.limits.loginUser.take(user.toLowerCase())) {
      return sendHtml(ctx.res, 429, loginPage('Too many attempts. Wait a few minutes and try again.', next), { 'retry-after': String(app.limits.loginIp.retryAfterSeconds(ip)) });
    }
    const u = await checkLogin(app.db, user, f.get('password') ?? '');
    if (!u) return sendHtml(ctx.res, 401, loginPage('Wrong user name or password.', next));
    const sid = await createSession(app.db, u.id);
    redirect(ctx.res, next, { 'set-cookie': cookie(app, ctx.req, sid, 12 * 3600) });
  } });
  r.add({ method: 'POST', path: '/logout', kind: 'page', access: { role: 'viewer' }, handler: async (ctx) => {
    const sid = parseCookies(ctx.req.headers.cookie)[SESSION_COOKIE];
    if (sid) await deleteSession(app.db, sid);
    redirect(ctx.res, '/login', { 'set-cookie': cookie(app, ctx.req, '', 0) });
  } });
}
