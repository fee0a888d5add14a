import type { Db } from '../db/db.js';
import { hashPassword, randomToken, sha256Hex, verifyPassword, DUMMY_HASH } from '../password.js';
import { ROLES, type Role, type Scope } from '../scope.js';

export interface User { id: number; username: string; role: Role; disabled: number }
export interface Principal {
  user: User;
  scope: Scope;
  /** set for cookie sessions: the CSRF token every state-changing request must carry */
  csrf?: string;
  /** set for API tokens: what the token may do */
  scopes?: TokenScope[];
  sessionId?: string;
}

export const TOKEN_SCOPES = ['read', 'ingest', 'write', 'worker'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

export async function ensureTenant(db: Db, name: string): Promise<number> {
  const n = name.trim().slice(0, 100);
  if (!n) throw new Error('tenant name is empty');
  await db.run('INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [n, Date.now()]);
  return (await db.get<{ id: number }>('SELECT id FROM tenants WHERE name = ?', [n]))!.id;
}

export async function listTenants(db: Db, scope: Scope): Promise<{ id: number; name: string }[]> {
  const all = await db.all<{ id: number; name: string }>('SELECT id, name FROM tenants ORDER BY name');
  return scope.all ? all : all.filter((t) => scope.tenantIds.includes(t.id));
}

export async function createUser(db: Db, username: string, password: string, role: Role): Promise<number> {
  if (!USERNAME.test(username)) throw new Error('user names are 1-64 of A-Z a-z 0-9 . _ @ -');
  if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
  if (password.length < 12) throw new Error('passwords need at least 12 characters');
  const hash = await hashPassword(password);
  const row = await db.get<{ id: number }>('INSERT INTO users (username, pw_hash, role, created_at) VALUES (?,?,?,?) RETURNING id', [username, hash, role, Date.now()]);
  return row!.id;
}

export async function setPassword(db: Db, userId: number, password: string): Promise<void> {
  if (password.length < 12) throw new Error('passwords need at least 12 characters');
  await db.run('UPDATE users SET pw_hash = ? WHERE id = ?', [await hashPassword(password), userId]);
  await db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
}

export async function grantTenant(db: Db, userId: number, tenantId: number): Promise<void> {
  await db.run('INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [userId, tenantId]);
}
export async function revokeTenant(db: Db, userId: number, tenantId: number): Promise<void> {
  await db.run('DELETE FROM user_tenants WHERE user_id = ? AND tenant_id = ?', [userId, tenantId]);
}

export async function listUsers(db: Db): Promise<(User & { tenants: string })[]> {
  const users = await db.all<User>('SELECT id, username, role, disabled FROM users ORDER BY username');
  const grants = await db.all<{ user_id: number; name: string }>('SELECT ut.user_id, t.name FROM user_tenants ut JOIN tenants t ON t.id = ut.tenant_id ORDER BY t.name');
  return users.map((u) => ({ ...u, tenants: grants.filter((g) => g.user_id === u.id).map((g) => g.name).join(', ') }));
}

export async function setUserDisabled(db: Db, userId: number, disabled: boolean): Promise<void> {
  await db.run('UPDATE users SET disabled = ? WHERE id = ?', [disabled ? 1 : 0, userId]);
  if (disabled) await db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
}

async function scopeOf(db: Db, user: User): Promise<Scope> {
  if (user.role === 'admin') return { all: true, tenantIds: [] };
  const rows = await db.all<{ tenant_id: number }>('SELECT tenant_id FROM user_tenants WHERE user_id = ?', [user.id]);
  return { all: false, tenantIds: rows.map((r) => r.tenant_id) };
}

export async function checkLogin(db: Db, username: string, password: string): Promise<User | undefined> {
  const row = await db.get<User & { pw_hash: string }>('SELECT id, username, role, disabled, pw_hash FROM users WHERE username = ?', [username.slice(0, 64)]);
  const ok = await verifyPassword(password.slice(0, 1024), row?.pw_hash ?? DUMMY_HASH);
  if (!row || !ok || row.disabled) return undefined;
  return { id: row.id, username: row.username, role: row.role, disabled: row.disabled };
}

export const SESSION_MS = 12 * 3600_000;

/** Returns the cookie value; only its hash is stored, so a leaked database holds no live sessions. */
export async function createSession(db: Db, userId: number): Promise<string> {
  const sid = randomToken();
  const now = Date.now();
  await db.run('DELETE FROM sessions WHERE expires_at < ?', [now]);
  await db.run('INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) VALUES (?,?,?,?,?)', [sha256Hex(sid), userId, randomToken(24), now, now + SESSION_MS]);
  return sid;
}

export async function deleteSession(db: Db, sid: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE id = ?', [sha256Hex(sid)]);
}

export async function sessionPrincipal(db: Db, sid: string): Promise<Principal | undefined> {
  if (sid.length > 100) return undefined;
  const row = await db.get<User & { csrf: string; expires_at: number }>(
    'SELECT u.id, u.username, u.role, u.disabled, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?', [sha256Hex(sid)]);
  if (!row || row.disabled || row.expires_at < Date.now()) return undefined;
  const user: User = { id: row.id, username: row.username, role: row.role, disabled: row.disabled };
  return { user, scope: await scopeOf(db, user), csrf: row.csrf, sessionId: sid };
}

/** Create an API token; the plain token is returned once and only its sha256 is kept. */
export async function createToken(db: Db, userId: number, name: string, scopes: TokenScope[]): Promise<{ id: number; token: string }> {
  const bad = scopes.filter((s) => !TOKEN_SCOPES.includes(s));
  if (bad.length || scopes.length === 0) throw new Error(`token scopes are ${TOKEN_SCOPES.join(', ')}`);
  const token = `exh_${randomToken()}`;
  const row = await db.get<{ id: number }>('INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at) VALUES (?,?,?,?,?) RETURNING id',
    [userId, name.slice(0, 100) || 'token', sha256Hex(token), scopes.join(','), Date.now()]);
  return { id: row!.id, token };
}

export async function revokeToken(db: Db, tokenId: number, byUser?: User): Promise<boolean> {
  const own = byUser && byUser.role !== 'admin' ? ' AND user_id = ?' : '';
  const r = await db.run(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL${own}`, own ? [Date.now(), tokenId, byUser!.id] : [Date.now(), tokenId]);
  return r.changes > 0;
}

export async function listTokens(db: Db, user: User): Promise<{ id: number; username: string; name: string; scopes: string; created_at: number; revoked_at: number | null; last_used_at: number | null }[]> {
  const own = user.role === 'admin' ? '' : 'WHERE k.user_id = ?';
  return db.all(`SELECT k.id, u.username, k.name, k.scopes, k.created_at, k.revoked_at, k.last_used_at FROM api_tokens k JOIN users u ON u.id = k.user_id ${own} ORDER BY k.id DESC`, own ? [user.id] : []);
}

export async function tokenPrincipal(db: Db, token: string): Promise<Principal | undefined> {
  if (token.length > 200) return undefined;
  const row = await db.get<User & { kid: number; scopes: string; revoked_at: number | null; last_used_at: number | null }>(
    'SELECT u.id, u.username, u.role, u.disabled, k.id AS kid, k.scopes, k.revoked_at, k.last_used_at FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.token_hash = ?', [sha256Hex(token)]);
  if (!row || row.revoked_at !== null || row.disabled) return undefined;
  const now = Date.now();
  if (!row.last_used_at || now - row.last_used_at > 60_000) await db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [now, row.kid]);
  const user: User = { id: row.id, username: row.username, role: row.role, disabled: row.disabled };
  return { user, scope: await scopeOf(db, user), scopes: row.scopes.split(',') as TokenScope[] };
}
