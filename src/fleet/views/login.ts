import { html } from './html.js';
import { layout } from './layout.js';

export function loginPage(error?: string, next = '/'): string {
  return layout('Log in', undefined, '', html`<form class="login" method="post" action="/login">
<h1>Log in</h1>${error ? html`<div class="error">${error}</div>` : ''}
<input type="hidden" name="next" value="${next}">
<label for="u">User name</label><input id="u" name="username" autocomplete="username" required autofocus>
<label for="p">Password</label><input id="p" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form>`);
}
