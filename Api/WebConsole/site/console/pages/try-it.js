// Try it: a predict form built from a version's signature (one field per named input, with its datatype and
// shape), rows pasted as JSON or CSV, through the native POST /api/models/{m}/predict.

import { api } from '../api.js';
import { guard } from '../auth.js';
import { h, field, select, formError, showErrorIn, clearErrors, panel, table } from '../ui.js';

/** CSV rows to arrays; cells that are not numbers travel as text, so the API names them in its refusal. */
function csvRows(text) {
  return text.split(/\r?\n/).filter(l => l.trim()).map(line => line.split(',').map(cell => {
    const t = cell.trim();
    return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
  }));
}

function jsonRows(text, name) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw Object.assign(new Error(`${name}: not valid JSON (${err.message}).`), { field: name });
  }
}

export function tryIt(model) {
  const available = model.versions.filter(v => v.state === 'Available');
  const container = h('div');
  const section = panel('Try it', container);
  if (!available.length) {
    container.append(h('p', { class: 'muted' }, 'No available version yet: upload one above, then try it here.'));
    return section;
  }
  const targets = [
    { value: '', label: `Default route${model.defaultVersion ? ` (v${model.defaultVersion})` : ''}` },
    ...Object.entries(model.labels).map(([l, v]) => ({ value: `label:${l}`, label: `label ${l} (v${v})` })),
    ...available.map(v => ({ value: `version:${v.version}`, label: `version ${v.version}` })),
  ];
  const target = select(targets);
  const format = select([{ value: 'json', label: 'JSON rows' }, { value: 'csv', label: 'CSV rows' }]);
  const targetFields = [field('Send to', target), field('Rows as', format)];
  const inputsSlot = h('div', { class: 'stack' });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Predict');
  const error = formError();
  const reason = guard('predict', submit);
  let inputFields = [];

  const versionOf = () => {
    const [kind, value] = target.value.split(':');
    const number = kind === 'version' ? Number(value) : kind === 'label' ? model.labels[value] : model.defaultVersion;
    return available.find(v => v.version === number) ?? available.at(-1);
  };
  const buildInputs = () => {
    inputFields = versionOf().signature.inputs.map(spec => field(`${spec.name} (${spec.dataType}, shape [${spec.shape.join(', ')}])`,
      h('textarea', { rows: 4, name: spec.name, placeholder: format.value === 'csv' ? '1, 2, 3, 4' : '[[1, 2, 3, 4]]' }),
      { wide: true, keys: [spec.name, 'input', 'inputs', 'row', 'rows', 'shape', 'value', 'number', 'datatype'], hint: 'One row per line (CSV) or an array of rows (JSON); a flat array is one row.' }));
    inputsSlot.replaceChildren(...inputFields.map(f => f.el));
  };
  target.addEventListener('change', buildInputs);
  format.addEventListener('change', buildInputs);
  buildInputs();

  const form = h('form', { class: 'stack', 'aria-label': `Try ${model.name}` }, targetFields.map(f => f.el), inputsSlot, submit, reason, error.el);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(inputFields, error);
    result.replaceChildren();
    const body = {};
    try {
      const rows = inputFields.map(f => format.value === 'csv' ? csvRows(f.control.value) : jsonRows(f.control.value, f.control.name));
      body.inputs = rows.length === 1 ? rows[0] : Object.fromEntries(inputFields.map((f, i) => [f.control.name, rows[i]]));
    } catch (err) {
      (inputFields.find(f => f.control.name === err.field) ?? inputFields[0]).error(err.message);
      return;
    }
    const [kind, value] = target.value.split(':');
    if (kind === 'version') body.version = Number(value);
    if (kind === 'label') body.label = value;
    const started = performance.now();
    try {
      const answer = await api(`/api/models/${encodeURIComponent(model.name)}/predict`, { method: 'POST', json: body });
      const ms = performance.now() - started;
      result.replaceChildren(
        h('p', { 'data-testid': 'prediction-meta' }, `Answered by version ${answer.version} on silo ${answer.silo} in ${ms.toFixed(1)} ms.`),
        outputsView(answer.outputs));
    } catch (err) {
      // A refused input of a one-input model is about that input, whatever words the message uses.
      if (inputFields.length === 1 && [400, 413, 415].includes(err.status)) inputFields[0].error(err.describe());
      else showErrorIn(inputFields, error, err);
    }
  });
  container.append(form, result);
  return section;
}

function outputsView(outputs) {
  const named = outputs && !Array.isArray(outputs) ? Object.entries(outputs) : [['output', outputs]];
  return h('div', {}, named.map(([name, value]) => {
    const rows = Array.isArray(value) && Array.isArray(value[0]) ? value : [value];
    return table(`Output ${name}`, ['Row', 'Values'], rows.map((r, i) => [i, h('span', { class: 'mono', 'data-testid': `output-${name}-${i}` }, JSON.stringify(r))]));
  }));
}
