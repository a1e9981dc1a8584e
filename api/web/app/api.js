// Calls to the Nebuta API. Every failure becomes an ApiError with a kind the page has a text
// for: unreachable (no answer), busy (503), bad_request (4xx), not_found, server (5xx).
export class ApiError extends Error {
  constructor(kind, status, code, apiMessage) {
    super(apiMessage || kind);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.apiMessage = apiMessage;
  }
}

export function errorKind(status, code) {
  if (status === 503) return 'busy';
  if (code === 'unknown_stop') return 'unknown_stop';
  if (code === 'ambiguous_place') return 'ambiguous';
  if (code === 'date_out_of_range') return 'date';
  if (status === 404) return 'not_found';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'server';
}

export async function getJson(path, { signal, acceptLanguage } = {}) {
  let res;
  try {
    const headers = { Accept: 'application/json' };
    if (acceptLanguage) headers['Accept-Language'] = acceptLanguage;
    res = await fetch(path, { signal, headers });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError('unreachable', 0, '', '');
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const code = typeof body?.code === 'string' ? body.code : '';
    const message = typeof body?.message === 'string' ? body.message : '';
    throw new ApiError(errorKind(res.status, code), res.status, code, message);
  }
  if (body === null) throw new ApiError('server', res.status, '', '');
  return body;
}
