// The page's state as a URL query string and back: a search or board is shareable and the
// back button returns to the previous one. Only known keys with valid values are kept.
export const views = ['search', 'board'];

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

// URLSearchParams (or a query string) → state. Unknown or malformed values fall back to defaults.
export function parseState(query) {
  const p = typeof query === 'string' ? new URLSearchParams(query) : query;
  const get = (k) => (p.get(k) ?? '').trim().slice(0, 200);
  const view = views.includes(get('view')) ? get('view') : 'search';
  const date = datePattern.test(get('date')) ? get('date') : '';
  const time = timePattern.test(get('time')) ? get('time') : '';
  return {
    view,
    from: get('from'),
    to: get('to'),
    date,
    time,
    arrive: get('arrive') === '1',
    wheelchair: get('wheelchair') === '1',
    stop: get('stop'),
    kiosk: get('kiosk') === '1',
    lang: get('lang'),
    clock: get('clock') === '12' ? '12' : '24',
  };
}

// State → query string (without '?'), keys in a fixed order and defaults left out, so that one
// state has one URL.
export function formatState(s) {
  const p = new URLSearchParams();
  if (s.view && s.view !== 'search') p.set('view', s.view);
  if (s.view === 'board') {
    if (s.stop) p.set('stop', s.stop);
    if (s.kiosk) p.set('kiosk', '1');
  } else {
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
  }
  if (s.date) p.set('date', s.date);
  if (s.time) p.set('time', s.time);
  if (s.view !== 'board' && s.arrive) p.set('arrive', '1');
  if (s.view !== 'board' && s.wheelchair) p.set('wheelchair', '1');
  if (s.lang) p.set('lang', s.lang);
  if (s.clock === '12') p.set('clock', '12');
  return p.toString();
}

// A search can run when both ends are given.
export function isCompleteSearch(s) {
  return s.view === 'search' && s.from !== '' && s.to !== '';
}

// /v1/plan's query for a state (lang: the API's language chain).
export function planQuery(s, apiLang) {
  const p = new URLSearchParams({ from: s.from, to: s.to });
  if (s.date) p.set('date', s.date);
  if (s.time) p.set(s.arrive ? 'arrive' : 'depart', s.time);
  if (s.wheelchair) p.set('wheelchair', 'true');
  p.set('lang', apiLang);
  return p.toString();
}

// "lat,lon" from the browser's geolocation, rounded to about 1 m.
export function locationValue(lat, lon) {
  return `${lat.toFixed(5)},${lon.toFixed(5)}`;
}

export function isLocationValue(v) {
  return /^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/.test(v);
}
