import { html, fmtTime } from './html.js';
import { layout, csrfField } from './layout.js';
import { ROLES } from '../scope.js';
import { TOKEN_SCOPES, type Principal } from '../store/users.js';

export interface AdminView {
  users: { id: number; username: string; role: string; disabled: number; tenants: string }[];
  tenants: { id: number; name: string }[];
  tokens: { id: number; username: string; name: string; scopes: string; created_at: number; revoked_at: number | null; last_used_at: number | null }[];
  flash?: string;
  /** a token or password shown once after it was created */
  secret?: string;
}

export function adminPage(p: Principal, v: AdminView): string {
  const c = csrfField(p);
  return layout('Admin', p, '/admin', html`<h1>Administration</h1>${v.flash ? html`<div class="flash">${v.flash}</div>` : ''}
${v.secret ? html`<div class="flash">Copy it now, it is not shown again: <code class="x" id="secret">${v.secret}</code></div>` : ''}
<div class="panel"><h2>Users</h2><table><tr><th>User</th><th>Role</th><th>Tenants</th><th>Status</th><th></th></tr>
${v.users.map((u) => html`<tr><td>${u.username}</td><td>${u.role}</td><td>${u.role === 'admin' ? 'all' : u.tenants}</td><td>${u.disabled ? 'disabled' : 'active'}</td>
<td><form method="post" action="/admin/users/${u.id}/disable">${c}<input type="hidden" name="disabled" value="${u.disabled ? '0' : '1'}"><button class="secondary">${u.disabled ? 'Enable' : 'Disable'}</button></form></td></tr>`)}</table>
<h2>New user</h2><form class="filters" method="post" action="/admin/users">${c}<label>User name<input name="username" required></label>
<label>Role<select name="role">${ROLES.map((r) => html`<option>${r}</option>`)}</select></label><label>Tenant<select name="tenant"><option value="">none</option>${v.tenants.map((t) => html`<option>${t.name}</option>`)}</select></label><button>Create (password shown once)</button></form>
<h2>Grant or revoke a tenant</h2><form class="filters" method="post" action="/admin/grants">${c}<label>User<select name="user">${v.users.map((u) => html`<option value="${u.id}">${u.username}</option>`)}</select></label>
<label>Tenant<select name="tenant">${v.tenants.map((t) => html`<option value="${t.id}">${t.name}</option>`)}</select></label>
<label>Action<select name="action"><option>grant</option><option>revoke</option></select></label><button>Apply</button></form></div>
<div class="panel"><h2>Tenants</h2><p>${v.tenants.map((t, i) => html`${i ? ', ' : ''}${t.name}`)}</p>
<form class="filters" method="post" action="/admin/tenants">${c}<label>New tenant<input name="name" required></label><button>Add</button></form></div>
<div class="panel"><h2>API tokens</h2><table><tr><th>Id</th><th>User</th><th>Name</th><th>Scopes</th><th>Created</th><th>Last used</th><th></th></tr>
${v.tokens.map((t) => html`<tr><td>${t.id}</td><td>${t.username}</td><td>${t.name}</td><td>${t.scopes}</td><td>${fmtTime(t.created_at)}</td><td>${fmtTime(t.last_used_at)}</td>
<td>${t.revoked_at ? html`revoked ${fmtTime(t.revoked_at)}` : html`<form method="post" action="/admin/tokens/${t.id}/revoke">${c}<button class="secondary">Revoke</button></form>`}</td></tr>`)}</table>
<h2>New token</h2><form class="filters" method="post" action="/admin/tokens">${c}<label>For user<select name="user">${v.users.map((u) => html`<option value="${u.id}">${u.username}</option>`)}</select></label>
<label>Name<input name="name" required></label>${TOKEN_SCOPES.map((s) => html`<label>${s}<input type="checkbox" name="scope" value="${s}"></label>`)}<button>Create</button></form></div>`);
}
