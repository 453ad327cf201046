// The rollout in progress, shadow results and the change history of a model. The platform adds these on other
// work: each panel appears only when the model's JSON has the field (rollout, shadow) or the history answers.

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
  if (model.rollout) panels.push(panel('Rollout in progress', describe(model.rollout)));
  if (model.shadow) panels.push(panel('Shadow results', describe(model.shadow)));
  try {
    const history = await api(`/api/models/${encodeURIComponent(model.name)}/history`);
    const entries = Array.isArray(history) ? history : history?.entries ?? history?.changes ?? [];
    panels.push(panel('Change history', entries.length
      ? h('ol', { class: 'timeline' }, entries.map(e => h('li', {},
          h('strong', {}, time(e.at ?? e.time ?? e.timestamp)), ' ', e.actor ? h('span', { class: 'muted' }, `${e.actor.name ?? e.actor} · `) : null,
          describe(Object.fromEntries(Object.entries(e).filter(([k]) => !['at', 'time', 'timestamp', 'actor'].includes(k)))))))
      : h('p', { class: 'muted' }, 'No changes recorded yet.')));
  } catch (err) {
    // Not on this platform yet (404), or not for this credential (an unmapped route falls back to admin: 401/403).
    if (!(err instanceof ApiError) || ![401, 403, 404, 405].includes(err.status)) throw err;
  }
  return panels;
}
