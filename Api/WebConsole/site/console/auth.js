// Who the console is acting as: GET /api/auth/me says whether the API requires a credential and which scopes the
// current one holds. Controls those scopes do not allow are disabled with the reason beside them.

import { api, credential, ApiError } from './api.js';
import { h, field, input, formError, uid } from './ui.js';

let me = { authRequired: false, authenticated: false, name: null, scopes: ['predict', 'train', 'admin'], schemes: [] };

export const current = () => me;

/** True when the API runs open, or the credential holds the scope (admin holds every scope). */
export const can = scope => !me.authRequired || me.scopes.includes(scope);

export function reasonFor(scope) {
  if (!me.authenticated) return `Sign in with a credential that has the ${scope} scope to use this.`;
  return `Needs the ${scope} scope; '${me.name}' has ${me.scopes.length ? me.scopes.join(', ') : 'no scope'}.`;
}

/** Disables the controls when the scope is missing and returns the reason to show beside them (or null). */
export function guard(scope, ...controls) {
  if (can(scope)) return null;
  const reason = h('p', { class: 'reason', id: uid('reason') }, reasonFor(scope));
  for (const control of controls) {
    control.disabled = true;
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), reason.id].filter(Boolean).join(' '));
  }
  return reason;
}

/** Reads /api/auth/me with the stored credential; a refused credential is forgotten and its reason thrown. */
export async function refresh() {
  try {
    me = await api('/api/auth/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      credential.set(null);
      me = await api('/api/auth/me');
    }
    throw err;
  }
  return me;
}

/** The banner (running open) or the sign-in form / signed-in line in the header. */
export function renderCredential(onChange) {
  const banner = document.getElementById('banner');
  const slot = document.getElementById('credential');
  banner.replaceChildren();
  slot.replaceChildren();
  if (!me.authRequired) {
    banner.append(h('p', { class: 'banner', role: 'status' },
      h('strong', {}, 'This API runs without authentication. '),
      'Anyone who can reach it can change models, datasets and jobs. Configure API keys or JWT (OrleansML:Auth) before exposing it.'));
    return;
  }
  if (me.authenticated) {
    slot.append(
      h('span', {}, 'Signed in as ', h('strong', {}, me.name), ` (${me.scopes.join(', ') || 'no scope'})`),
      h('button', { type: 'button', class: 'secondary', onclick: () => { credential.set(null); onChange(false); } }, 'Sign out'));
    return;
  }
  slot.append(signInForm(onChange));
}

function signInForm(onChange) {
  const kind = h('select', {}, h('option', { value: 'apiKey' }, 'API key'),
    me.schemes.includes('Bearer') ? h('option', { value: 'bearer' }, 'Bearer token') : null);
  const secret = input({ type: 'password', autocomplete: 'off', required: true });
  const kindField = field('Credential', kind);
  const secretField = field('Key or token', secret, { hint: 'Kept for this browser session only.', keys: ['key', 'token', 'credential'] });
  const error = formError();
  const form = h('form', { class: 'stack', 'aria-label': 'Sign in' }, kindField.el, secretField.el,
    h('button', { type: 'submit' }, 'Sign in'), error.el);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    secretField.clear();
    error.clear();
    credential.set({ kind: kind.value, value: secret.value.trim() });
    try {
      await refresh();
      if (!me.authenticated) throw new Error('The API did not recognise that credential.');
      onChange(true);
    } catch (err) {
      credential.set(null);
      secretField.error(err instanceof ApiError ? err.describe() : err.message);
    }
  });
  return form;
}
