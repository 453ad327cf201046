// Small DOM helpers: elements, labelled fields with an error slot beside them, tables and empty states.

let sequence = 0;
export const uid = prefix => `${prefix}-${++sequence}`;

/** h('button', { class: 'x', onclick: f }, 'text', child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * A labelled control with a hint and an error slot. `keys` are the words an API message uses for this field, so
 * a refusal can be shown beside the field it is about (see showErrorIn).
 */
export function field(label, control, { hint, keys = [], wide = false } = {}) {
  control.id ||= uid('f');
  const error = h('p', { class: 'error', id: `${control.id}-error`, role: 'alert', hidden: true });
  const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  const describedBy = [hintEl?.id].filter(Boolean).join(' ');
  if (describedBy) control.setAttribute('aria-describedby', describedBy);
  const el = h('div', { class: wide ? 'field wide' : 'field' }, h('label', { for: control.id }, label), control, hintEl, error);
  const f = {
    el, control, keys: keys.map(k => k.toLowerCase()),
    error(message) {
      error.textContent = message;
      error.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [describedBy, error.id].filter(Boolean).join(' '));
    },
    clear() {
      error.hidden = true;
      error.textContent = '';
      control.removeAttribute('aria-invalid');
      if (describedBy) control.setAttribute('aria-describedby', describedBy); else control.removeAttribute('aria-describedby');
    },
  };
  return f;
}

/** An error slot for a whole form, beside its submit button. */
export function formError() {
  const el = h('p', { class: 'error', role: 'alert', hidden: true });
  return { el, show(m) { el.textContent = m; el.hidden = false; }, clear() { el.hidden = true; el.textContent = ''; } };
}

/**
 * Shows an error beside the field its message names (the first whose key appears in it), else in the form's slot.
 * Local problems are plain Errors; API refusals are ApiErrors, described with their status.
 */
export function showErrorIn(fields, slot, err) {
  const message = typeof err.describe === 'function' ? err.describe() : err.message;
  const text = message.toLowerCase();
  const target = fields.find(f => f.keys.some(k => new RegExp(`(^|[^a-z])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z]|$)`).test(text)));
  if (target) target.error(message); else slot.show(message);
}

export function clearErrors(fields, slot) {
  fields.forEach(f => f.clear());
  slot.clear();
}

export const input = (attrs = {}) => h('input', { type: 'text', ...attrs });

export function select(options, attrs = {}) {
  return h('select', attrs, options.map(o => typeof o === 'string' ? h('option', { value: o }, o) : h('option', { value: o.value }, o.label)));
}

export function table(caption, headers, rows) {
  return h('div', { class: 'scroll' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, c)))))));
}

export const empty = (...children) => h('p', { class: 'empty' }, ...children);

export function panel(title, ...children) {
  const id = uid('h');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export const time = iso => iso ? new Date(iso).toLocaleString() : '–';

/** A progress bar with a label and its percentage. */
export function progressBar(label) {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': label });
  const text = h('span', { class: 'muted' }, '');
  const el = h('div', { class: 'field wide', hidden: true }, bar, text);
  return {
    el,
    set(fraction, note = '') {
      el.hidden = false;
      bar.value = fraction;
      text.textContent = `${Math.round(fraction * 100)}%${note ? ` · ${note}` : ''}`;
    },
    hide() { el.hidden = true; },
  };
}

/** Asks before a destructive action, in a modal dialog that the keyboard can answer (Escape cancels). */
export function confirmDialog(question, action = 'Delete') {
  return new Promise(resolve => {
    const dialog = h('dialog', { 'aria-label': question },
      h('p', {}, question),
      h('form', { method: 'dialog', class: 'stack' },
        h('button', { value: 'cancel', class: 'secondary', autofocus: true }, 'Cancel'),
        h('button', { value: 'confirm', class: 'danger' }, action)));
    dialog.addEventListener('close', () => { resolve(dialog.returnValue === 'confirm'); dialog.remove(); });
    document.body.append(dialog);
    dialog.showModal();
  });
}
