// Training: the jobs, and a form that starts one from a dataset's columns and an architecture.

import { api } from '../api.js';
import { guard } from '../auth.js';
import { h, field, input, select, formError, showErrorIn, clearErrors, table, empty, panel, time } from '../ui.js';

export async function render(view, { query }) {
  const [jobs, datasets] = await Promise.all([api('/api/training/jobs?pageSize=50'), api('/api/datasets')]);
  view.append(
    h('h1', {}, 'Training'),
    jobs.jobs.length
      ? table('Training jobs', ['Job', 'Model', 'State', 'Progress', 'Created'], jobs.jobs.map(j => [
          h('a', { href: `#/training/${encodeURIComponent(j.id)}` }, j.id), j.model, j.state, `${Math.round(j.progress * 100)}%`, time(j.createdAt)]))
      : empty('No training jobs yet. Start one below.'),
    panel('Start a training job', datasets.length
      ? startForm(datasets, query.get('dataset'))
      : empty('Upload a dataset first on the ', h('a', { href: '#/datasets' }, 'Datasets'), ' page.')));
}

const number = (attrs) => input({ type: 'number', inputmode: 'decimal', ...attrs });

function startForm(datasets, chosen) {
  const c = {
    model: input({ required: true, autocomplete: 'off', pattern: '[A-Za-z0-9][A-Za-z0-9._-]*' }),
    dataset: select(datasets.map(d => d.name)),
    inputs: number({ min: 1, step: 1, required: true }),
    hidden: input({ value: '64', placeholder: '64, 32' }),
    outputs: number({ min: 1, step: 1, required: true }),
    activation: select(['relu', 'tanh', 'sigmoid', 'gelu']),
    dropout: number({ min: 0, max: 0.9, step: 0.05, value: '0' }),
    epochs: number({ step: 1, value: '3' }),
    batchSize: number({ step: 1, value: '64' }),
    learningRate: number({ step: 'any', value: '0.003' }),
    optimizer: select(['adam', 'sgd']),
    seed: number({ step: 1, value: '42' }),
    workers: number({ step: 1, placeholder: 'one per silo' }),
    validationSplit: number({ min: 0, max: 0.9, step: 0.05, value: '0.1' }),
    standardize: h('input', { type: 'checkbox', checked: true }),
    promote: input({ placeholder: 'stable', autocomplete: 'off' }),
  };
  if (chosen && datasets.some(d => d.name === chosen)) c.dataset.value = chosen;
  const columns = h('p', { class: 'mono', 'data-testid': 'dataset-columns' });
  const fields = [
    field('Model name', c.model, { keys: ['model', 'name'] }),
    field('Dataset', c.dataset, { keys: ['dataset'] }),
    field('Inputs', c.inputs, { keys: ['inputs', 'features', 'columns'], hint: "The dataset's feature count." }),
    field('Hidden layers', c.hidden, { keys: ['hidden'], hint: 'Sizes, comma separated.' }),
    field('Outputs', c.outputs, { keys: ['outputs', 'classes'], hint: "The dataset's class count." }),
    field('Activation', c.activation, { keys: ['activation'] }),
    field('Dropout', c.dropout, { keys: ['dropout'] }),
    field('Epochs', c.epochs, { keys: ['epochs', 'epoch'] }),
    field('Batch size', c.batchSize, { keys: ['batchsize', 'batch size', 'batch'] }),
    field('Learning rate', c.learningRate, { keys: ['learningrate', 'learning rate'] }),
    field('Optimizer', c.optimizer, { keys: ['optimizer'] }),
    field('Seed', c.seed, { keys: ['seed'] }),
    field('Workers', c.workers, { keys: ['workers', 'worker'] }),
    field('Validation split', c.validationSplit, { keys: ['validationsplit', 'validation split', 'validation'] }),
    field('Standardize features', c.standardize, { keys: ['standardize'] }),
    field('Promote to label', c.promote, { keys: ['promote', 'label'] }),
  ];
  const showDataset = () => {
    const d = datasets.find(x => x.name === c.dataset.value);
    columns.textContent = `${d.columns.length} feature columns: ${d.columns.join(', ')} · label ${d.label}` +
      (d.labelClasses ? ` · ${d.labelClasses.length} classes (${d.labelClasses.join(', ')})` : ' · regression');
    c.inputs.value = String(d.columns.length);
    c.outputs.value = String(d.labelClasses ? d.labelClasses.length : 1);
  };
  c.dataset.addEventListener('change', showDataset);
  showDataset();
  const submit = h('button', { type: 'submit' }, 'Start training');
  const error = formError();
  const reason = guard('train', submit);
  const form = h('form', { class: 'stack', 'aria-label': 'Start a training job', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Job'), fields.slice(0, 2).map(f => f.el), columns),
    h('fieldset', {}, h('legend', {}, 'Architecture (MLP)'), fields.slice(2, 7).map(f => f.el)),
    h('fieldset', {}, h('legend', {}, 'Optimisation'), fields.slice(7).map(f => f.el)),
    submit, reason, error.el);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(fields, error);
    const num = el => el.value.trim() === '' ? undefined : Number(el.value);
    const spec = {
      model: c.model.value.trim(),
      dataset: c.dataset.value,
      architecture: {
        type: 'mlp', inputs: num(c.inputs), outputs: num(c.outputs), activation: c.activation.value, dropout: num(c.dropout) ?? 0,
        hidden: c.hidden.value.split(',').map(s => s.trim()).filter(Boolean).map(Number),
      },
      epochs: num(c.epochs), batchSize: num(c.batchSize), learningRate: num(c.learningRate), optimizer: c.optimizer.value,
      seed: num(c.seed), workers: num(c.workers), validationSplit: num(c.validationSplit) ?? 0,
      standardize: c.standardize.checked, promote: c.promote.value.trim() || undefined,
    };
    try {
      const job = await api('/api/training/jobs', { method: 'POST', json: spec });
      location.hash = `#/training/${encodeURIComponent(job.id)}`;
    } catch (err) {
      showErrorIn(fields, error, err);
    }
  });
  return form;
}
