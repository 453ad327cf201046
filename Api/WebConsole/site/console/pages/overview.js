// Overview: the silos with their devices and the versions loaded on each (with their memory), and per model the
// requests per second and p99 latency of the last interval, from two reads of the serving statistics.

import { api, ApiError } from '../api.js';
import { can, reasonFor } from '../auth.js';
import { h, table, panel, bytes, empty } from '../ui.js';

const everyMs = 2000;
const keep = 30;

/** The q-quantile of a bucketed histogram, interpolated inside its bucket (Prometheus' histogram_quantile). */
export function quantile(q, bounds, counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return null;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (seen + counts[i] >= q * total) {
      if (i === bounds.length) return { overflow: bounds.at(-1) };
      const lower = i ? bounds[i - 1] : 0;
      return { ms: lower + (bounds[i] - lower) * ((q * total - seen) / counts[i]) };
    }
    seen += counts[i];
  }
  return null;
}

/** Sums the versions of each model: requests and latency buckets. */
function byModel(statistics) {
  const models = new Map();
  for (const v of statistics.versions) {
    const m = models.get(v.model) ?? { requests: 0, failures: 0, buckets: v.latencyBuckets.map(() => 0) };
    m.requests += v.requests;
    m.failures += v.failures;
    v.latencyBuckets.forEach((c, i) => { m.buckets[i] += c; });
    models.set(v.model, m);
  }
  return models;
}

export async function render(view, { signal }) {
  const silos = h('div');
  const serving = h('div', { 'aria-live': 'off' });
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Requests per second per model' });
  view.append(h('h1', {}, 'Overview'), panel('Silos', silos), panel('Serving', h('div', { class: 'chart' }, canvas), serving));
  await renderSilos(silos);

  const chart = new window.Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: 'requests/s' } } } },
  });
  let previous = null;
  const tick = async () => {
    try {
      const statistics = await api('/api/serving/statistics', { signal });
      const now = { at: performance.now(), models: byModel(statistics) };
      renderServing(serving, chart, statistics.latencyBoundsMs, previous, now);
      previous = now;
    } catch (err) {
      if (signal.aborted) return;
      serving.replaceChildren(h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.describe() : err.message));
    }
  };
  await tick();
  const timer = setInterval(tick, everyMs);
  const silosTimer = setInterval(() => renderSilos(silos), everyMs * 5);
  return () => { clearInterval(timer); clearInterval(silosTimer); chart.destroy(); };
}

async function renderSilos(slot) {
  if (!can('admin')) {
    slot.replaceChildren(h('p', { class: 'reason' }, `The silo view: ${reasonFor('admin')}`));
    return;
  }
  const silos = await api('/api/cluster/models');
  slot.replaceChildren(table(`${silos.length} silo(s)`, ['Silo', 'Host', 'Devices', 'Loaded versions', 'Memory'], silos.map(s => [
    h('span', { class: 'mono' }, s.address), s.name, `${s.device}${s.devices > 1 ? ` (${s.devices} devices)` : ''}`,
    s.loaded.length ? h('ul', {}, s.loaded.map(m => h('li', {}, `${m.model} v${m.version} on ${m.device}: ${bytes(m.bytes)}`))) : h('span', { class: 'muted' }, 'none loaded'),
    bytes(s.loaded.reduce((a, m) => a + m.bytes, 0))])));
}

function renderServing(slot, chart, bounds, previous, now) {
  if (!now.models.size) {
    slot.replaceChildren(empty('No models are served yet. Upload one on the ', h('a', { href: '#/models' }, 'Models'), ' page, then send it predictions.'));
    return;
  }
  const seconds = previous ? (now.at - previous.at) / 1000 : 0;
  const rows = [...now.models].map(([name, m]) => {
    const before = previous?.models.get(name);
    const delta = before ? m.buckets.map((c, i) => c - before.buckets[i]) : null;
    const rps = before && seconds > 0 ? (m.requests - before.requests) / seconds : null;
    const p99 = delta ? quantile(0.99, bounds, delta) : null;
    return { name, m, rps, p99 };
  });
  chart.data.labels.push(new Date().toLocaleTimeString());
  for (const r of rows) {
    let series = chart.data.datasets.find(d => d.label === r.name);
    if (!series) chart.data.datasets.push(series = { label: r.name, data: chart.data.labels.slice(1).map(() => null) });
    series.data.push(r.rps);
  }
  if (chart.data.labels.length > keep) {
    chart.data.labels.shift();
    chart.data.datasets.forEach(d => d.data.shift());
  }
  chart.update();
  slot.replaceChildren(table('Per model, over the last interval', ['Model', 'Requests/s', 'p99 latency', 'Requests (total)', 'Failures (total)'], rows.map(r => [
    h('a', { href: `#/models/${encodeURIComponent(r.name)}` }, r.name),
    r.rps === null ? 'measuring…' : r.rps.toFixed(1),
    !r.p99 ? '–' : r.p99.overflow ? `> ${r.p99.overflow} ms` : `${r.p99.ms.toFixed(2)} ms`,
    r.m.requests, r.m.failures])));
}
