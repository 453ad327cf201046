// Datasets: the list, a CSV upload with a progress bar, and one dataset's columns, classes and first rows.

import { api, upload, firstLines } from '../api.js';
import { guard } from '../auth.js';
import { h, field, input, formError, showErrorIn, clearErrors, progressBar, table, empty, panel, time } from '../ui.js';

export async function render(view, { args: [name] }) {
  if (name) return renderDataset(view, name);
  const datasets = await api('/api/datasets');
  view.append(
    h('h1', {}, 'Datasets'),
    datasets.length
      ? table('Datasets', ['Name', 'Rows', 'Columns', 'Label', 'Classes', 'Created'], datasets.map(d => [
          h('a', { href: `#/datasets/${encodeURIComponent(d.name)}` }, d.name), d.rows, d.columns.length, d.label,
          d.labelClasses ? d.labelClasses.length : 'regression', time(d.createdAt)]))
      : empty('No datasets yet. Upload a CSV below: a header row, numeric feature columns and a label column.'),
    panel('Upload a CSV', uploadForm()));
}

function uploadForm() {
  const name = input({ required: true, autocomplete: 'off', pattern: '[A-Za-z0-9][A-Za-z0-9._-]*' });
  const label = input({ required: true, autocomplete: 'off', placeholder: 'Class' });
  const file = h('input', { type: 'file', required: true, accept: '.csv,.tra,.tes,.txt,text/csv' });
  const fields = [
    field('Dataset name', name, { keys: ['name', 'dataset'] }),
    field('Label column', label, { keys: ['label', 'column', 'header'], hint: 'The header name of the column to predict.' }),
    field('CSV file', file, { keys: ['csv', 'row', 'file', 'value'] }),
  ];
  const submit = h('button', { type: 'submit' }, 'Upload dataset');
  const bar = progressBar('Dataset upload progress');
  const error = formError();
  const reason = guard('admin', submit, name, label, file);
  const form = h('form', { class: 'stack', 'aria-label': 'Upload a dataset' }, fields.map(f => f.el), submit, reason, bar.el, error.el);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(fields, error);
    submit.disabled = true;
    try {
      const dataset = await upload(`/api/datasets/${encodeURIComponent(name.value.trim())}?label=${encodeURIComponent(label.value.trim())}`, file.files[0],
        { contentType: 'text/csv', onProgress: f => bar.set(f, f < 1 ? 'uploading' : 'importing') });
      location.hash = `#/datasets/${encodeURIComponent(dataset.name)}`;
    } catch (err) {
      bar.hide();
      showErrorIn(fields, error, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

async function renderDataset(view, name) {
  const path = `/api/datasets/${encodeURIComponent(name)}`;
  const d = await api(path);
  const lines = await firstLines(`${path}/content`, 11);
  const [header, ...rows] = lines.map(l => l.split(','));
  view.append(
    h('h1', {}, `Dataset ${d.name}`),
    h('p', {}, h('a', { href: '#/datasets' }, '← All datasets'), ' · ', h('a', { href: `#/training?dataset=${encodeURIComponent(d.name)}` }, 'Train a model on it')),
    panel('Summary', h('dl', { class: 'pairs' },
      h('dt', {}, 'Rows'), h('dd', {}, d.rows),
      h('dt', {}, 'Label column'), h('dd', {}, d.label),
      h('dt', {}, 'Classes'), h('dd', {}, d.labelClasses ? d.labelClasses.join(', ') : 'none (regression)'),
      h('dt', {}, 'Storage'), h('dd', {}, `${d.partitionCount} partition(s) of ${d.partitionSize} rows`),
      h('dt', {}, 'Created'), h('dd', {}, time(d.createdAt)))),
    panel(`Columns (${d.columns.length} features)`, h('p', { class: 'mono' }, d.columns.join(', '))),
    panel('First rows', table(`First ${rows.length} rows of ${d.name}`, header ?? [], rows)));
}
