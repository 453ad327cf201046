// Upload a model version: multipart POST /api/models/{name}/versions with a progress bar.

import { upload } from '../api.js';
import { guard } from '../auth.js';
import { h, field, input, select, formError, showErrorIn, clearErrors, progressBar } from '../ui.js';

/** The upload form; `fixedName` uploads the next version of that model, else the form asks for a name. */
export function uploadVersionForm(fixedName, onUploaded) {
  const name = input({ required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]*', value: fixedName ?? '', autocomplete: 'off' });
  const file = h('input', { type: 'file', required: true, accept: '.pt,.pth,.dat,.onnx,.bin,.safetensors' });
  const format = select([{ value: '', label: 'Detect from the file' }, 'TorchScript', 'Onnx', 'Native']);
  const signature = h('textarea', { rows: 3, placeholder: '{"inputs": [{"name": "input", "dataType": "FP32", "shape": [-1, 4]}]}' });
  const architecture = h('textarea', { rows: 2, placeholder: '{"type": "mlp", "inputs": 4, "hidden": [8], "outputs": 3}' });
  const fields = [
    ...(fixedName ? [] : [field('Model name', name, { keys: ['name', 'model'] })]),
    field('Artifact file', file, { hint: 'TorchScript, ONNX, native weights, state_dict or safetensors.', keys: ['artifact', 'file', 'torchscript', 'onnx', 'zip'] }),
    field('Format', format, { keys: ['format'] }),
    field('Signature (JSON, optional)', signature, { wide: true, keys: ['signature'] }),
    field('Architecture (JSON, for native weights)', architecture, { wide: true, keys: ['architecture', 'parameter'] }),
  ];
  const submit = h('button', { type: 'submit' }, fixedName ? 'Upload version' : 'Upload model');
  const bar = progressBar('Upload progress');
  const error = formError();
  const reason = guard('admin', submit, file, name);
  const form = h('form', { class: 'stack', 'aria-label': fixedName ? `Upload a version of ${fixedName}` : 'Upload a model' },
    fields.map(f => f.el), submit, reason, bar.el, error.el);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(fields, error);
    const model = fixedName ?? name.value.trim();
    const body = new FormData();
    body.append('artifact', file.files[0]);
    if (format.value) body.append('format', format.value);
    if (signature.value.trim()) body.append('signature', new Blob([signature.value], { type: 'application/json' }));
    if (architecture.value.trim()) body.append('architecture', new Blob([architecture.value], { type: 'application/json' }));
    submit.disabled = true;
    try {
      const version = await upload(`/api/models/${encodeURIComponent(model)}/versions`, body, { onProgress: f => bar.set(f, f < 1 ? 'uploading' : 'loading and validating') });
      bar.set(1, `version ${version.version} is ${version.state}`);
      onUploaded(version);
    } catch (err) {
      bar.hide();
      showErrorIn(fields, error, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
