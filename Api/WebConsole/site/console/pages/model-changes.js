// The rollout (running or how the last one ended), the shadow's comparison figures and the change history of a
// model: the rollout and shadow panels appear when the model has one, the history when it answers.

import { api, ApiError } from '../api.js';
import { h, panel, time } from '../ui.js';

/** A value as a definition list (objects), a list (arrays) or text, so new fields show without code here. */
function describe(value) {
  if (Array.isArray(value)) return h('ul', {}, value.map(v => h('li', {}, describe(v))));
  if (value && typeof value === 'object') {
    return h('dl', { class: 'pairs' }, Object.entries(value).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, describe(v))]));
  }
  return String(value ?? '–');
}

export async function changePanels(model) {
  const panels = [];
  if (model.rollout) {
    const running = model.rollout.state === 'Running';
    panels.push(panel(running ? 'Rollout in progress' : `Last rollout: ${model.rollout.state}`, describe(model.rollout)));
  }
  if (model.shadow) {
    // The comparison figures are summed over the silos by GET .../shadow; the model only holds the setting.
    const figures = await api(`/api/models/${encodeURIComponent(model.name)}/shadow`).catch(() => model.shadow);
    panels.push(panel('Shadow results', describe(figures)));
  }
  try {
    const history = await api(`/api/models/${encodeURIComponent(model.name)}/history`);
    const entries = Array.isArray(history) ? history : history?.entries ?? history?.changes ?? [];
    panels.push(panel('Change history', entries.length
      ? h('ol', { class: 'timeline' }, entries.map(e => h('li', {},
          h('strong', {}, time(e.at ?? e.time ?? e.timestamp)), ' ', e.actor ? h('span', { class: 'muted' }, `${e.actor.name ?? e.actor} · `) : null,
          Array.isArray(e.changes) ? e.changes.join('; ')
            : describe(Object.fromEntries(Object.entries(e).filter(([k]) => !['at', 'time', 'timestamp', 'actor'].includes(k)))))))
      : h('p', { class: 'muted' }, 'No changes recorded yet.')));
  } catch (err) {
    // Not on this platform yet (404), or not for this credential (an unmapped route falls back to admin: 401/403).
    if (!(err instanceof ApiError) || ![401, 403, 404, 405].includes(err.status)) throw err;
  }
  return panels;
}
