// The REST API, as any script would call it: JSON over fetch, the credential in a header, problem details read
// into ApiError. The credential is kept in sessionStorage: it lasts for this browser tab's session only.

const storageKey = 'orleansml.credential';

export const credential = {
  get() {
    const raw = sessionStorage.getItem(storageKey);
    return raw ? JSON.parse(raw) : null;
  },
  set(value) {
    if (value) sessionStorage.setItem(storageKey, JSON.stringify(value));
    else sessionStorage.removeItem(storageKey);
  },
};

export function authHeaders() {
  const c = credential.get();
  if (!c) return {};
  return c.kind === 'bearer' ? { Authorization: `Bearer ${c.value}` } : { 'X-Api-Key': c.value };
}

/** An answer of 4xx or 5xx: its status and the API's own message (problem details' detail, or the protocols' error). */
export class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** What the status means to the person at the keyboard, then the API's message. */
  describe() {
    const meaning = {
      401: 'Not signed in (401): the API did not accept the credential; sign in again.',
      403: 'Not allowed (403): this credential lacks the scope this action needs.',
      413: 'Too large (413).',
      429: `Too many requests (429): this credential is over its rate limit${this.retryAfter ? `; retry after ${this.retryAfter} s` : ''}.`,
    }[this.status];
    if (meaning) return this.message ? `${meaning} ${this.message}` : meaning;
    return this.message || `The API answered ${this.status}.`;
  }
}

async function errorOf(status, text, retryAfter) {
  let message = '';
  try {
    const body = JSON.parse(text);
    message = body.detail ?? body.error ?? body.title ?? '';
    if (body.errors) message = [message, ...Object.entries(body.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`)].filter(Boolean).join(' ');
  } catch {
    message = text.trim().slice(0, 500);
  }
  return new ApiError(status, message, retryAfter);
}

/** Calls the API; returns the parsed JSON (or null for an empty answer); throws ApiError on 4xx/5xx. */
export async function api(path, { method = 'GET', json, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...authHeaders(), ...headers }, signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  if (!response.ok) throw await errorOf(response.status, text, response.headers.get('Retry-After'));
  return text ? JSON.parse(text) : null;
}

/** Sends a body with upload progress (fetch reports none): onProgress gets a fraction from 0 to 1. */
export function upload(path, body, { contentType, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    if (contentType) xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = e => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'the upload did not reach the API (network error).'));
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
      } else {
        reject(await errorOf(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
      }
    };
    xhr.send(body);
  });
}

/**
 * Server-sent events of an API stream, read through fetch because EventSource cannot send the credential header.
 * Yields { event, data } with data parsed as JSON, until the stream ends or the signal aborts.
 */
export async function* events(path, signal) {
  const response = await fetch(path, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal });
  if (!response.ok) throw await errorOf(response.status, await response.text(), response.headers.get('Retry-After'));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) yield { event, data: JSON.parse(data.join('\n')) };
    }
  }
}

/** The first lines of a text answer (a dataset's CSV), reading no more of the stream than they need. */
export async function firstLines(path, count) {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw await errorOf(response.status, await response.text(), response.headers.get('Retry-After'));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (text.split('\n').length <= count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.cancel();
  return text.split('\n').filter(line => line.trim()).slice(0, count);
}

/** Downloads an API answer as a file (a link cannot carry the credential header). */
export async function download(path, filename) {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw await errorOf(response.status, await response.text(), response.headers.get('Retry-After'));
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
