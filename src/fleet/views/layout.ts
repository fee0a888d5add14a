import { html, type Safe } from './html.js';
import type { Principal } from '../store/users.js';

const NAV: [string, string, 'viewer' | 'admin'][] = [
  ['/', 'Overview', 'viewer'], ['/hosts', 'Hosts', 'viewer'], ['/search', 'Search', 'viewer'],
  ['/jobs', 'Jobs', 'viewer'], ['/audit', 'Audit log', 'viewer'], ['/admin', 'Admin', 'admin'],
];

export function layout(title: string, p: Principal | undefined, active: string, body: Safe, refreshSeconds?: number): string {
  const nav = p
    ? NAV.filter(([, , role]) => role === 'viewer' || p.user.role === 'admin')
        .map(([href, label]) => html`<a href="${href}" class="${href === active ? 'on' : ''}">${label}</a>`)
    : [];
  const who = p
    ? html`<div class="who"><span>${p.user.username} · ${p.user.role}</span>
        <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${p.csrf ?? ''}"><button>Log out</button></form></div>`
    : '';
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${refreshSeconds ? html`<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}<title>${title} · exhunt</title><link rel="stylesheet" href="/static/app.css"></head>
<body><header><span class="brand">exhunt fleet</span><nav>${nav}</nav>${who}</header><main>${body}</main></body></html>`.s;
}

/** The hidden CSRF field every state-changing form carries. */
export const csrfField = (p: Principal) => html`<input type="hidden" name="_csrf" value="${p.csrf ?? ''}">`;

export const verdictBadge = (v: string) => html`<span class="v v-${v}">${v}</span>`;
