import type { App } from '../app.js';
import type { Router } from '../http/router.js';
import type { Ctx } from '../http/router.js';
import { HttpError, redirect, sendHtml } from '../http/io.js';
import { createToken, createUser, ensureTenant, grantTenant, listTenants, listTokens, listUsers, revokeToken, revokeTenant, setUserDisabled, TOKEN_SCOPES, type TokenScope } from '../store/users.js';
import { auditAdmin } from '../store/workflow.js';
import { randomToken } from '../password.js';
import { ROLES, type Role } from '../scope.js';
import { adminPage } from '../views/admin.js';
import { formOf, intParam, me } from './common.js';

export function adminRoutes(app: App, r: Router): void {
  const db = app.db;
  const render = async (ctx: Ctx, extra: { flash?: string; secret?: string } = {}) => {
    const p = me(ctx);
    sendHtml(ctx.res, 200, adminPage(p, { users: await listUsers(db), tenants: await listTenants(db, p.scope), tokens: await listTokens(db, p.user), ...extra }));
  };
  const admin = { role: 'admin' as const };

  r.add({ method: 'GET', path: '/admin', kind: 'page', access: admin, handler: (ctx) => render(ctx) });

  r.add({ method: 'POST', path: '/admin/users', kind: 'page', access: admin, handler: async (ctx) => {
    const f = await formOf(ctx);
    const username = (f.get('username') ?? '').trim();
    const role = (f.get('role') ?? '') as Role;
    if (!ROLES.includes(role)) throw new HttpError(400, 'unknown role');
    const password = randomToken(15);
    let id: number;
    try {
      id = await createUser(db, username, password, role);
    } catch (e) {
      throw new HttpError(400, e instanceof Error && /unique|constraint/i.test(e.message) ? 'that user name is taken' : (e as Error).message);
    }
    const tenant = f.get('tenant');
    if (tenant) await grantTenant(db, id, await ensureTenant(db, tenant));
    await auditAdmin(db, me(ctx).user, 'user', `created ${username} (${role})`);
    await render(ctx, { flash: `User ${username} created; their password:`, secret: password });
  } });

  r.add({ method: 'POST', path: '/admin/users/:id/disable', kind: 'page', access: admin, handler: async (ctx) => {
    const id = intParam(ctx.params['id']);
    if (id === me(ctx).user.id) throw new HttpError(400, 'you cannot disable yourself');
    const disabled = (await formOf(ctx)).get('disabled') === '1';
    await setUserDisabled(db, id, disabled);
    await auditAdmin(db, me(ctx).user, 'user', `${disabled ? 'disabled' : 'enabled'} user ${id}`);
    redirect(ctx.res, '/admin');
  } });

  r.add({ method: 'POST', path: '/admin/grants', kind: 'page', access: admin, handler: async (ctx) => {
    const f = await formOf(ctx);
    const user = intParam(f.get('user') ?? ''), tenant = intParam(f.get('tenant') ?? '');
    if (f.get('action') === 'revoke') await revokeTenant(db, user, tenant);
    else await grantTenant(db, user, tenant);
    await auditAdmin(db, me(ctx).user, 'grant', `${f.get('action') === 'revoke' ? 'revoked' : 'granted'} tenant ${tenant} for user ${user}`);
    redirect(ctx.res, '/admin');
  } });

  r.add({ method: 'POST', path: '/admin/tenants', kind: 'page', access: admin, handler: async (ctx) => {
    const name = ((await formOf(ctx)).get('name') ?? '').trim();
    if (!name) throw new HttpError(400, 'tenant name is empty');
    await ensureTenant(db, name);
    await auditAdmin(db, me(ctx).user, 'tenant', `created ${name}`);
    redirect(ctx.res, '/admin');
  } });

  r.add({ method: 'POST', path: '/admin/tokens', kind: 'page', access: admin, handler: async (ctx) => {
    const f = await formOf(ctx);
    const scopes = f.getAll('scope').filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
    if (!scopes.length) throw new HttpError(400, 'choose at least one scope');
    const t = await createToken(db, intParam(f.get('user') ?? ''), f.get('name') ?? 'token', scopes);
    await auditAdmin(db, me(ctx).user, 'token', `created token ${t.id} (${scopes.join(',')})`);
    await render(ctx, { flash: `Token ${t.id} created:`, secret: t.token });
  } });

  r.add({ method: 'POST', path: '/admin/tokens/:id/revoke', kind: 'page', access: admin, handler: async (ctx) => {
    const id = intParam(ctx.params['id']);
    await revokeToken(db, id);
    await auditAdmin(db, me(ctx).user, 'token', `revoked token ${id}`);
    redirect(ctx.res, '/admin');
  } });
}
