// Scoring: the jobs, a form that starts one, its progress (server-sent events) and the output to download.

import { api, events, download, ApiError } from '../api.js';
import { guard } from '../auth.js';
import { h, field, input, select, formError, showErrorIn, clearErrors, table, empty, panel, progressBar, time } from '../ui.js';

export async function render(view, { signal }) {
  const [jobs, models, datasets] = await Promise.all([api('/api/scoring/jobs?pageSize=50'), api('/api/models'), api('/api/datasets')]);
  const progress = h('div');
  view.append(
    h('h1', {}, 'Scoring'),
    jobs.jobs.length
      ? table('Scoring jobs', ['Job', 'Model', 'State', 'Progress', 'Created', 'Output'], jobs.jobs.map(j => [
          j.id, j.model, j.state, `${Math.round(j.progress * 100)}%`, time(j.createdAt), outputButton(j.id, j.state === 'Succeeded')]))
      : empty('No scoring jobs yet. Start one below.'),
    panel('Start a scoring job', models.length && datasets.length
      ? startForm(models, datasets, job => follow(job, progress, signal))
      : empty('Scoring needs a model and a dataset: add them on the ', h('a', { href: '#/models' }, 'Models'), ' and ', h('a', { href: '#/datasets' }, 'Datasets'), ' pages.')),
    progress);
}

/** Downloads a finished job's output dataset as CSV. */
function outputButton(id, ready) {
  if (!ready) return '–';
  const button = h('button', { type: 'button', class: 'secondary', 'aria-label': `Download CSV output of ${id}` }, 'Download CSV');
  const error = h('span', { class: 'error', role: 'alert' });
  button.addEventListener('click', async () => {
    error.textContent = '';
    try {
      const job = await api(`/api/scoring/jobs/${encodeURIComponent(id)}`);
      await download(`/api/datasets/${encodeURIComponent(job.spec.outputDataset)}/content`, `${job.spec.outputDataset}.csv`);
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.describe() : err.message;
    }
  });
  return h('span', {}, button, error);
}

function startForm(models, datasets, started) {
  const c = {
    model: select(models.map(m => m.name)),
    label: input({ placeholder: 'default route', autocomplete: 'off' }),
    dataset: select(datasets.map(d => d.name)),
    output: input({ required: true, autocomplete: 'off', value: `${datasets[0].name}-scored` }),
    mode: select([{ value: 'auto', label: 'auto' }, { value: 'classes', label: 'classes' }, { value: 'values', label: 'values' }]),
  };
  const fields = [
    field('Model', c.model, { keys: ['model'] }),
    field('Label (optional)', c.label, { keys: ['label'] }),
    field('Dataset', c.dataset, { keys: ['dataset'] }),
    field('Output dataset', c.output, { keys: ['outputdataset', 'output dataset', 'output'] }),
    field('Output columns', c.mode, { keys: ['output'] }),
  ];
  const submit = h('button', { type: 'submit' }, 'Start scoring');
  const error = formError();
  const reason = guard('train', submit);
  const form = h('form', { class: 'stack', 'aria-label': 'Start a scoring job' }, fields.map(f => f.el), submit, reason, error.el);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(fields, error);
    try {
      started(await api('/api/scoring/jobs', { method: 'POST', json: {
        model: c.model.value, label: c.label.value.trim() || undefined, dataset: c.dataset.value, outputDataset: c.output.value.trim(), output: c.mode.value,
      } }));
    } catch (err) {
      showErrorIn(fields, error, err);
    }
  });
  return form;
}

async function follow(job, slot, signal) {
  const bar = progressBar(`Progress of scoring job ${job.id}`);
  const state = h('p', { 'aria-live': 'polite', 'data-testid': 'scoring-state' }, `${job.state}`);
  const error = formError();
  slot.replaceChildren(panel(`Scoring job ${job.id}`, state, bar.el, error.el));
  bar.set(0);
  try {
    for await (const { data } of events(`/api/scoring/jobs/${encodeURIComponent(job.id)}/events`, signal)) {
      bar.set(data.partitionsTotal ? data.partitionsDone / data.partitionsTotal : 0, `${data.rowsScored} rows`);
      state.replaceChildren(`${data.state} · ${data.partitionsDone} of ${data.partitionsTotal} partitions · ${data.rowsScored} rows · ${data.retries} retries`,
        data.failureReason ? h('span', { class: 'error' }, ` · ${data.failureReason}`) : '',
        data.state === 'Succeeded' ? h('span', {}, ' · ', outputButton(job.id, true)) : '');
    }
  } catch (err) {
    if (!signal.aborted) error.show(err instanceof ApiError ? err.describe() : err.message);
  }
}
