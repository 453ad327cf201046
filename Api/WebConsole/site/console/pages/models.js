// Models: the list, and a form to upload a new model.

import { api } from '../api.js';
import { h, table, empty, panel } from '../ui.js';
import { uploadVersionForm } from './upload-version.js';

export async function render(view) {
  const models = await api('/api/models');
  const list = models.length
    ? table('Models', ['Name', 'Versions', 'Labels', 'Default version'], models.map(m => [
        h('a', { href: `#/models/${encodeURIComponent(m.name)}` }, m.name),
        m.versions,
        Object.entries(m.labels).map(([l, v]) => `${l} → v${v}`).join(', ') || '–',
        m.defaultVersion ?? '–']))
    : empty('No models yet. Upload a TorchScript, ONNX or native model below, or train one on the ', h('a', { href: '#/training' }, 'Training'), ' page.');
  view.append(
    h('h1', {}, 'Models'),
    list,
    panel('Upload a model', uploadVersionForm(null, v => { location.hash = `#/models/${encodeURIComponent(v.name)}`; })));
}
