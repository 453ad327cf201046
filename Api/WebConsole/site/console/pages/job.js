// A training job: a live chart of loss and validation accuracy per epoch (its server-sent events), the workers
// per silo, recoveries, cancel, and the resulting version.

import { api, events, ApiError } from '../api.js';
import { guard } from '../auth.js';
import { h, panel, formError, table, time } from '../ui.js';

export async function render(view, { args: [id], signal }) {
  const path = `/api/training/jobs/${encodeURIComponent(id)}`;
  let status = await api(path);
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Loss and validation accuracy per epoch' });
  const summary = h('p', { 'aria-live': 'polite', 'data-testid': 'job-summary' });
  const details = h('div');
  const cancel = h('button', { type: 'button', class: 'danger' }, 'Cancel job');
  const error = formError();
  const reason = guard('train', cancel);
  cancel.addEventListener('click', async () => {
    error.clear();
    try {
      status = await api(path, { method: 'DELETE' });
      update();
    } catch (err) {
      error.show(err instanceof ApiError ? err.describe() : err.message);
    }
  });
  view.append(
    h('h1', {}, `Training job ${id}`),
    h('p', {}, h('a', { href: '#/training' }, '← All training jobs')),
    summary,
    panel('Loss and validation accuracy', h('div', { class: 'chart' }, canvas)),
    h('p', {}, cancel, reason), error.el,
    details);

  const chart = new window.Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [
      { label: 'Training loss', data: [], yAxisID: 'loss', borderColor: '#0b5cad', backgroundColor: '#0b5cad' },
      { label: 'Validation loss', data: [], yAxisID: 'loss', borderColor: '#8250df', backgroundColor: '#8250df', borderDash: [6, 4] },
      { label: 'Validation accuracy', data: [], yAxisID: 'accuracy', borderColor: '#1a7f37', backgroundColor: '#1a7f37' },
    ] },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: {
        x: { title: { display: true, text: 'Epoch' } },
        loss: { position: 'left', title: { display: true, text: 'Loss' } },
        accuracy: { position: 'right', min: 0, max: 1, title: { display: true, text: 'Validation accuracy' }, grid: { drawOnChartArea: false } },
      },
    },
  });

  function update() {
    const s = status;
    const history = s.history ?? [];
    chart.data.labels = history.map(e => e.epoch);
    chart.data.datasets[0].data = history.map(e => e.loss);
    chart.data.datasets[1].data = history.map(e => e.validationLoss);
    chart.data.datasets[2].data = history.map(e => e.validationAccuracy);
    chart.update();
    const last = history.at(-1);
    canvas.setAttribute('aria-label', `Loss and validation accuracy per epoch: ${history.length} of ${s.spec.epochs} epochs` +
      (last ? `; last loss ${last.loss.toFixed(4)}${last.validationAccuracy != null ? `, validation accuracy ${last.validationAccuracy.toFixed(3)}` : ''}` : ''));
    summary.replaceChildren(`${s.state} · epoch ${s.epoch} of ${s.spec.epochs} (${history.length} finished) · round ${s.round} of ${s.totalRounds}`,
      s.loss != null ? ` · loss ${s.loss.toFixed(4)}` : '',
      s.failureReason ? h('span', { class: 'error' }, ` · ${s.failureReason}`) : '',
      s.resultVersion ? h('span', {}, ' · result: ', h('a', { href: `#/models/${encodeURIComponent(s.spec.model)}` }, `${s.spec.model} version ${s.resultVersion}`)) : '');
    cancel.hidden = ['Succeeded', 'Failed', 'Cancelled'].includes(s.state);
    const bySilo = Object.entries(Object.groupBy(s.workers ?? [], w => w.silo));
    details.replaceChildren(
      panel('Workers per silo', bySilo.length
        ? table('Workers per silo', ['Silo', 'Workers (rank: device)'], bySilo.map(([silo, ws]) => [silo, ws.map(w => `${w.rank}: ${w.device}`).join(', ')]))
        : h('p', { class: 'muted' }, 'No workers now.')),
      panel(`Recoveries (${(s.recoveries ?? []).length})`, (s.recoveries ?? []).length
        ? h('ol', {}, s.recoveries.map(r => h('li', {}, r)))
        : h('p', { class: 'muted' }, 'None: every round completed with the first group.')),
      panel('Job', h('dl', { class: 'pairs' },
        h('dt', {}, 'Model'), h('dd', {}, s.spec.model), h('dt', {}, 'Dataset'), h('dd', {}, s.spec.dataset),
        h('dt', {}, 'Created'), h('dd', {}, time(s.createdAt)), h('dt', {}, 'Finished'), h('dd', {}, time(s.finishedAt)),
        h('dt', {}, 'Coordinator silo'), h('dd', {}, s.coordinatorSilo ?? '–'))));
  }
  update();

  (async () => {
    let seen = null;
    try {
      for await (const { data } of events(`${path}/events`, signal)) {
        // Each event carries the round's figures; the per-epoch history comes with the job when an epoch ends.
        const key = `${data.state}/${data.epoch}/${data.validationAccuracy}/${data.resultVersion}`;
        if (key !== seen) {
          seen = key;
          status = await api(path, { signal });
        } else {
          status = { ...status, state: data.state, round: data.round, loss: data.loss };
        }
        update();
      }
      status = await api(path, { signal });
      update();
    } catch (err) {
      if (!signal.aborted) error.show(err instanceof ApiError ? err.describe() : err.message);
    }
  })();
  return () => chart.destroy();
}
