// The console's shell: hash routes to one module per page; each page renders into <main> and returns a cleanup
// function that stops its polling and streams when the user leaves it.

import { refresh, renderCredential } from './auth.js';
import { h } from './ui.js';
import { ApiError } from './api.js';
import * as overview from './pages/overview.js';
import * as models from './pages/models.js';
import * as model from './pages/model.js';
import * as datasets from './pages/datasets.js';
import * as training from './pages/training.js';
import * as job from './pages/job.js';
import * as scoring from './pages/scoring.js';

const routes = [
  [/^\/overview$/, overview, 'Overview'],
  [/^\/models$/, models, 'Models'],
  [/^\/models\/([^/]+)$/, model, 'Models'],
  [/^\/datasets$/, datasets, 'Datasets'],
  [/^\/datasets\/([^/]+)$/, datasets, 'Datasets'],
  [/^\/training$/, training, 'Training'],
  [/^\/training\/([^/]+)$/, job, 'Training'],
  [/^\/scoring$/, scoring, 'Scoring'],
];

let cleanup = () => {};

async function render(navigated = false) {
  cleanup();
  cleanup = () => {};
  const [path, query] = (location.hash.replace(/^#/, '') || '/overview').split('?');
  const match = routes.map(([re, p, s]) => ({ m: re.exec(path), p, s })).find(r => r.m);
  for (const link of document.querySelectorAll('nav a')) {
    link.toggleAttribute('aria-current', false);
    if (match && link.textContent === match.s) link.setAttribute('aria-current', 'page');
  }
  const main = document.getElementById('main');
  if (!match) {
    main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/overview' }, 'Go to the overview.')));
    return;
  }
  const controller = new AbortController();
  const view = h('div');
  main.replaceChildren(view);
  try {
    const stop = await match.p.render(view, { signal: controller.signal, args: match.m.slice(1).map(decodeURIComponent), query: new URLSearchParams(query ?? ''), rerender: render });
    cleanup = () => { controller.abort(); stop?.(); };
  } catch (err) {
    controller.abort();
    view.replaceChildren(h('h1', {}, match.s), h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.describe() : err.message));
  }
  document.title = `${main.querySelector('h1')?.textContent ?? match.s} · OrleansML console`;
  // After a navigation, focus moves to the new page so the next Tab starts there (not on the first load).
  if (navigated && (document.activeElement === document.body || document.activeElement?.closest('nav'))) main.focus();
}

/** Reads who the console acts as (unless the sign-in just did), then renders the header and the page. */
async function start(fresh = false) {
  if (!fresh) {
    try {
      await refresh();
    } catch (err) {
      // A stored credential the API no longer accepts was forgotten by refresh; the sign-in form shows again.
      console.warn(err);
    }
  }
  renderCredential(start);
  await render();
}

window.addEventListener('hashchange', () => render(true));
start();
