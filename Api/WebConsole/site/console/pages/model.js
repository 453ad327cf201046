// A model: its versions, labels, traffic split, rollout, shadow results and history; upload, delete, Try it.

import { api, ApiError } from '../api.js';
import { guard } from '../auth.js';
import { h, table, panel, bytes, time, confirmDialog, formError, field, input, select, showErrorIn, clearErrors } from '../ui.js';
import { uploadVersionForm } from './upload-version.js';
import { tryIt } from './try-it.js';
import { changePanels } from './model-changes.js';

const path = name => `/api/models/${encodeURIComponent(name)}`;

export const signatureText = s => s.inputs.map(t => `${t.name}: ${t.dataType}[${t.shape.join(', ')}]`).join('; ') +
  ' → ' + s.outputs.map(t => `${t.name}: ${t.dataType}[${t.shape.join(', ')}]`).join('; ');

export async function render(view, { args: [name], rerender }) {
  const model = await api(path(name));
  view.append(h('h1', {}, `Model ${model.name}`), h('p', {}, h('a', { href: '#/models' }, '← All models')));
  view.append(versionsPanel(model, rerender), labelsPanel(model, rerender), trafficPanel(model, rerender));
  view.append(...await changePanels(model));
  view.append(panel('Upload a version', uploadVersionForm(model.name, () => rerender())));
  view.append(tryIt(model));
}

function versionsPanel(model, rerender) {
  const error = formError();
  const rows = model.versions.map(v => {
    const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete version ${v.version}` }, 'Delete');
    const reason = guard('admin', remove);
    remove.addEventListener('click', async () => {
      error.clear();
      if (!await confirmDialog(`Delete version ${v.version} of ${model.name} and its artifact?`)) return;
      try {
        await api(`${path(model.name)}/versions/${v.version}`, { method: 'DELETE' });
        rerender();
      } catch (err) {
        error.show(err instanceof ApiError ? err.describe() : err.message);
      }
    });
    const labels = Object.entries(model.labels).filter(([, n]) => n === v.version).map(([l]) => l);
    return [
      h('span', {}, `v${v.version}`, labels.length ? h('span', { class: 'muted' }, ` (${labels.join(', ')})`) : null),
      h('span', { class: v.state === 'Available' ? 'ok' : 'error' }, v.state, v.failureReason ? `: ${v.failureReason}` : ''),
      v.format, bytes(v.sizeBytes),
      h('span', { class: 'mono' }, signatureText(v.signature)),
      v.source,
      Object.entries(v.metrics ?? {}).map(([k, x]) => `${k} ${Number(x).toFixed(4)}`).join(', ') || '–',
      time(v.createdAt),
      h('span', {}, remove, reason),
    ];
  });
  return panel('Versions',
    table(`Versions of ${model.name}`, ['Version', 'State', 'Format', 'Size', 'Signature', 'Source', 'Training metrics', 'Created', 'Actions'], rows),
    error.el);
}

function labelsPanel(model, rerender) {
  const labelName = input({ value: 'stable', required: true, autocomplete: 'off' });
  const version = select(model.versions.map(v => ({ value: String(v.version), label: `v${v.version}` })));
  const fields = [field('Label', labelName, { keys: ['label'] }), field('Version', version, { keys: ['version'] })];
  const submit = h('button', { type: 'submit' }, 'Set label');
  const error = formError();
  const reason = guard('admin', submit);
  const form = h('form', { class: 'stack', 'aria-label': 'Set a label' }, fields.map(f => f.el), submit, reason, error.el);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(fields, error);
    try {
      await api(`${path(model.name)}/labels/${encodeURIComponent(labelName.value.trim())}`, { method: 'PUT', json: { version: Number(version.value) } });
      rerender();
    } catch (err) {
      showErrorIn(fields, error, err);
    }
  });
  const current = Object.entries(model.labels).map(([label, v]) => {
    const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove label ${label}` }, 'Remove');
    const why = guard('admin', remove);
    remove.addEventListener('click', async () => {
      error.clear();
      try {
        await api(`${path(model.name)}/labels/${encodeURIComponent(label)}`, { method: 'DELETE' });
        rerender();
      } catch (err) {
        error.show(err instanceof ApiError ? err.describe() : err.message);
      }
    });
    return [label, `v${v}`, h('span', {}, remove, why)];
  });
  return panel('Labels',
    current.length ? table('Labels', ['Label', 'Version', 'Actions'], current) : h('p', { class: 'muted' }, 'No labels yet: point stable (or canary) at a version below.'),
    form);
}

function trafficPanel(model, rerender) {
  const labels = Object.keys(model.labels);
  if (!labels.length) {
    return panel('Traffic split', h('p', { class: 'muted' }, 'Label versions first: the split divides requests between labels by weight.'));
  }
  const fields = labels.map(label => field(`Weight of ${label}`,
    input({ type: 'number', min: 0, step: 1, value: String(model.trafficSplit[label] ?? 0), inputmode: 'numeric' }), { keys: [label] }));
  const submit = h('button', { type: 'submit' }, 'Save split');
  const clear = h('button', { type: 'button', class: 'secondary' }, 'Clear split');
  const error = formError();
  const reason = guard('admin', submit, clear, ...fields.map(f => f.control));
  const save = async weights => {
    clearErrors(fields, error);
    try {
      await api(`${path(model.name)}/traffic`, { method: 'PUT', json: { weights } });
      rerender();
    } catch (err) {
      showErrorIn(fields, error, err);
    }
  };
  clear.addEventListener('click', () => save({}));
  const form = h('form', { class: 'stack', 'aria-label': 'Traffic split' }, fields.map(f => f.el), submit, clear, reason, error.el);
  form.addEventListener('submit', e => {
    e.preventDefault();
    save(Object.fromEntries(labels.map((l, i) => [l, Number(fields[i].control.value)]).filter(([, w]) => w > 0)));
  });
  const split = Object.entries(model.trafficSplit);
  return panel('Traffic split',
    h('p', {}, split.length ? `Unaddressed requests: ${split.map(([l, w]) => `${l} ${w}`).join(', ')}.` : `No split: unaddressed requests go to v${model.defaultVersion ?? '–'}.`),
    form);
}
