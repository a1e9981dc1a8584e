// The page: search with autocomplete, journey cards, departures board and kiosk. All state is
// in the URL (state.js); texts come from i18n.js; the API from api.js.
import { languages, languageNames, chooseLanguage, apiLangChain, t as text, hasText } from './i18n.js';
import { parseState, formatState, isCompleteSearch, planQuery, locationValue, isLocationValue } from './state.js';
import { formatClock, formatDuration, minutesOf, defaultDate, defaultTime, journeySummary, badgeColors } from './format.js';
import { getJson } from './api.js';

const $ = (id) => document.getElementById(id);
let state = parseState(location.search);
let lang = chooseLanguage(state.lang, navigator.languages);
let config = { tiles: null, leaflet: '' };
let service = { start: '', end: '' };
let searchAbort = null;
let boardTimer = null;
const t = (key, args) => text(lang, key, args);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'style') Object.assign(e.style, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}

// ------------------------------------------------------------------ language

function applyTexts() {
  document.documentElement.lang = lang;
  document.title = `${t('title')} · Nebuta`;
  for (const e of document.querySelectorAll('[data-text]')) e.textContent = t(e.dataset.text);
  $('swap').setAttribute('aria-label', t('swap'));
  $('from-list').setAttribute('aria-label', t('suggestions'));
  $('to-list').setAttribute('aria-label', t('suggestions'));
  const sel = $('lang-select');
  if (sel.options.length === 0) {
    for (const l of languages) sel.append(el('option', { value: l, lang: l, text: languageNames[l] }));
  }
  sel.value = lang;
  $('clock-select').value = state.clock;
}

function withLang(s) {
  return { ...s, lang };
}

function urlFor(s) {
  const q = formatState(withLang(s));
  return q ? `/?${q}` : '/';
}

function apiLang() {
  return apiLangChain(lang);
}

// ------------------------------------------------------------------ messages

function announce(msg) {
  $('status').textContent = msg;
}

function showError(err) {
  const box = $('error');
  if (!err) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const keys = {
    unreachable: 'errUnreachable', busy: 'errBusy', bad_request: 'errBadRequest', not_found: 'errNotFound',
    server: 'errServer', unknown_stop: 'errUnknownStop', ambiguous: 'errAmbiguous', date: 'errDate',
    location: 'errLocation', need: 'needFromTo',
  };
  box.replaceChildren(el('p', { class: 'error-text', 'data-testid': 'error-text', text: t(keys[err.kind] ?? 'errServer') }));
  if (err.apiMessage) {
    // The API writes its messages in the call's lang= when it is one of its five (docs/http.md).
    const apiLang = ['ja', 'ko', 'zh-Hans', 'zh-Hant'].includes(lang) ? lang : 'en';
    box.append(el('p', { class: 'error-detail', 'data-testid': 'error-detail', lang: apiLang,
                         text: err.apiMessage }));
  }
  box.dataset.kind = err.kind;
  box.hidden = false;
}

// ------------------------------------------------------------------ autocomplete

function stopLabel(stop) {
  return stop.name || stop.default_name || stop.stop_id;
}

// A /v1/places result as a suggestion: a stop as it is, a place under its "place:ID".
function suggestionOf(m) {
  if (m.stop) return m.stop;
  if (!m.place) return null;
  return { stop_id: `place:${m.place.place_id}`, name: m.place.name, name_lang: m.place.name_lang, kind: m.place.kind };
}

function setupCombo(input, list) {
  let items = [];
  let active = -1;
  let timer = 0;
  let abort = null;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const pick = (i) => {
    const s = items[i];
    if (!s) return;
    input.value = stopLabel(s);
    input.dataset.value = s.stop_id;
    close();
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0 && list.children[i]) input.setAttribute('aria-activedescendant', list.children[i].id);
  };
  const render = () => {
    list.replaceChildren();
    if (items.length === 0) {
      list.append(el('li', { role: 'option', 'aria-disabled': 'true', class: 'none', id: `${list.id}-none`,
                             'aria-selected': 'false', text: t('noSuggestion') }));
    }
    items.forEach((s, i) => {
      const secondary = s.default_name && s.default_name !== s.name ? s.default_name : '';
      list.append(el('li', { role: 'option', id: `${list.id}-${i}`, 'data-testid': 'suggestion', 'data-stop-id': s.stop_id,
                             'aria-selected': 'false', onmousedown: (e) => { e.preventDefault(); pick(i); } },
        el('span', { class: 'name', lang: s.name_lang || undefined, text: stopLabel(s) }),
        s.kind ? el('span', { class: 'kind', 'data-testid': 'suggestion-kind', text: hasText(lang, `kind_${s.kind}`) ? t(`kind_${s.kind}`) : t('kind_place') }) : null,
        secondary ? el('span', { class: 'alt', lang: 'ja', text: secondary }) : null));
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  input.addEventListener('input', () => {
    delete input.dataset.value;
    clearTimeout(timer);
    const q = input.value.trim();
    if (q === '') return close();
    timer = setTimeout(async () => {
      abort?.abort();
      abort = new AbortController();
      try {
        // /v1/places answers stops and, where the server has a gazetteer (--places), sights,
        // hospitals ...; a place is planned to as "place:ID" (docs/search.md).
        const r = await getJson(`/v1/places?q=${encodeURIComponent(q)}&limit=8&lang=${encodeURIComponent(apiLang())}`,
                                { signal: abort.signal });
        if (input.value.trim() !== q) return;
        items = (r.results ?? []).map(suggestionOf).filter((s) => s !== null);
        render();
      } catch (e) {
        if (e?.name !== 'AbortError') showError(e);
      }
    }, 120);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); pick(active); }
    else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

// The name of a stop id in the page's language (for a shared URL), else the value as given.
async function displayName(value) {
  if (value === '' || isLocationValue(value)) return value === '' ? '' : t('myLocation');
  try {
    const kind = value.startsWith('place:') ? 'places' : 'stops';
    const s = await getJson(`/v1/${kind}/${encodeURIComponent(value)}?lang=${encodeURIComponent(apiLang())}`);
    return stopLabel(s);
  } catch {
    return value;  // a name typed by the visitor, which the planner resolves itself
  }
}

async function fillEnd(input, value) {
  input.dataset.value = value;
  if (!value) delete input.dataset.value;
  input.value = value;
  const name = await displayName(value);
  if (input.dataset.value === value) input.value = name;
}

function endValue(input) {
  return input.dataset.value || input.value.trim();
}

// ------------------------------------------------------------------ search

function formState() {
  const now = new Date();
  return {
    ...state,
    view: 'search',
    from: endValue($('from-input')),
    to: endValue($('to-input')),
    date: $('date-input').value || defaultDate(now, service.start, service.end),
    time: $('time-input').value || defaultTime(now),
    arrive: $('mode-arrive').checked,
    wheelchair: $('wheelchair').checked,
  };
}

function applyStateToForm() {
  const now = new Date();
  fillEnd($('from-input'), state.from);
  fillEnd($('to-input'), state.to);
  $('date-input').value = state.date || defaultDate(now, service.start, service.end);
  $('time-input').value = state.time || defaultTime(now);
  $('mode-arrive').checked = state.arrive;
  $('mode-depart').checked = !state.arrive;
  $('wheelchair').checked = state.wheelchair;
}

function routeColors(leg) {
  return badgeColors(leg.route_color ?? leg.color, leg.route_text_color ?? leg.text_color);
}

function badge(leg) {
  const c = routeColors(leg);
  const label = leg.route_short_name || leg.short_name || leg.route_long_name || leg.long_name || '';
  return el('span', { class: 'badge', 'data-testid': 'route-badge', style: { background: c.background, color: c.color },
                      text: label });
}

function clock(iso, serviceDate) {
  return formatClock(iso, { clock: state.clock, lang, serviceDate, nextDayLabel: t('nextDay') });
}

function fareText(j) {
  const f = j.fare;
  if (!f || f.known === false) return '';
  const amount = typeof f.total === 'number' ? f.total : f.amount;  // JourneyFare.total (docs/fares.md)
  if (typeof amount === 'number' && f.currency) {
    return new Intl.NumberFormat(lang, { style: 'currency', currency: f.currency }).format(amount);
  }
  return typeof f.text === 'string' ? f.text : '';
}

function renderLeg(leg, i, date, alerts = new Map()) {
  const ride = leg.mode !== 'walk';
  const head = ride
    ? el('p', { class: 'leg-head' }, badge(leg),
        leg.headsign ? el('span', { class: 'headsign', 'data-testid': 'leg-headsign', text: leg.headsign }) : null,
        leg.agency ? el('span', { class: 'muted', text: leg.agency }) : null)
    : el('p', { class: 'leg-head' }, el('span', { class: 'walk', text: t('walkMin', { m: minutesOf(leg.duration_s) }) }),
        leg.distance_m ? el('span', { class: 'muted', text: `${leg.distance_m} m` }) : null);
  const place = (p, testid) => el('p', { class: 'place', 'data-testid': testid },
    el('time', { datetime: p.time, class: 'time', text: clock(p.time, date) }),
    scheduledTime(p.realtime, p.delay_s, p.scheduled_time, date),
    p.stop_id ? el('a', { class: 'name', href: boardLinkFor(p.stop_id), 'data-board': p.stop_id, text: p.name })
      : el('span', { class: 'name', text: p.name }),
    p.platform_code ? el('span', { class: 'platform', 'data-testid': 'platform', text: t('platform', { p: p.platform_code }) }) : null);
  const stops = leg.intermediate_stops ?? [];
  const inter = ride && stops.length
    ? el('details', { class: 'inter' }, el('summary', { text: `${t('showStops')} (${t('stops', { n: stops.length })})` }),
        el('ol', {}, ...stops.map((s) => el('li', { 'data-testid': 'intermediate-stop' },
          el('time', { datetime: s.departure || s.arrival, class: 'time', text: clock(s.departure || s.arrival, date) }),
          el('span', { text: s.name })))))
    : null;
  const rt = [];
  if (ride && leg.realtime) rt.push(delayNote(leg.from.delay_s ?? 0));
  rt.push(...alertNotes(leg.alert_ids, alerts));
  return el('li', { class: `leg ${ride ? 'ride' : 'walkleg'}`, 'data-testid': 'leg', 'data-mode': leg.mode,
                    'aria-label': t('leg', { n: i + 1 }) },
    head, place(leg.from, 'leg-from'), inter, place(leg.to, 'leg-to'), ...rt);
}

// Service alerts (docs/realtime.md): an answer lists each alert once (`alerts`) and legs and
// departures name theirs by id. One line with the header; the description and the link open
// on demand. Texts are in the answer's language (`lang`), the labels in the page's.
function alertsOf(answer) {
  return new Map((answer.alerts ?? []).map((a) => [a.id, a]));
}

function alertNotes(ids, alerts) {
  return [...new Set(ids ?? [])].map((id) => alerts.get(id)).filter(Boolean).map(alertNote);
}

function alertNote(a) {
  const url = /^https?:\/\//i.test(a.url ?? '') ? a.url : '';
  const line = [el('span', { class: 'alert-icon', 'aria-hidden': 'true', text: '⚠' }),
    el('strong', { text: `${t('alert')}: ` }),
    el('span', { lang: a.header_lang || undefined, 'data-testid': 'alert-header', text: a.header || a.description || '' })];
  const attrs = { class: 'alert', 'data-testid': 'alert', 'data-alert-id': a.id, 'data-effect': a.effect || undefined };
  if (!(a.header && a.description) && !url) return el('p', attrs, ...line);
  return el('details', attrs, el('summary', {}, ...line),
    a.header && a.description ? el('p', { lang: a.description_lang || undefined, 'data-testid': 'alert-description',
                                          text: a.description }) : null,
    url ? el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', text: t('alertMore') }) : null);
}

// Realtime (docs/realtime.md): the delay of a ride or a departure, "on time" under a minute.
// JSON leaves out a delay of 0.
function delayNote(delayS) {
  const late = Math.abs(delayS) >= 60;
  return el('p', { class: late ? 'delay' : 'ontime', 'data-testid': 'delay', 'data-delay-s': String(delayS),
                   text: late ? t('delay', { m: minutesOf(delayS) }) : t('onTime') });
}

// The timetable's time, struck out beside a realtime time that differs from it.
function scheduledTime(realtime, delayS, scheduled, date) {
  if (!realtime || !scheduled || Math.abs(delayS ?? 0) < 60) return null;
  return el('del', { class: 'scheduled', 'data-testid': 'scheduled-time' },
    el('time', { datetime: scheduled, text: clock(scheduled, date) }));
}

function renderJourney(j, i, date, alerts = new Map()) {
  const { walkSeconds, rides } = journeySummary(j);
  const id = `journey-${i}`;
  const ridesText = rides === 0 ? t('noRide') : rides === 1 ? t('ride1') : t('rides', { n: rides });
  const fare = fareText(j);
  const details = el('div', { id: `${id}-details`, class: 'details', hidden: true },
    el('ol', { class: 'legs', 'data-testid': 'legs' }, ...(j.legs ?? []).map((l, k) => renderLeg(l, k, date, alerts))));
  const mapBox = el('div', { class: 'map', 'data-testid': 'map', hidden: true, role: 'img', 'aria-label': t('mapNoTiles') });
  const mapButton = el('button', { type: 'button', class: 'secondary', 'data-testid': 'map-toggle', 'aria-expanded': 'false',
                                   text: t('showMap') });
  let map = null;
  mapButton.addEventListener('click', async () => {
    const open = mapBox.hidden;
    mapBox.hidden = !open;
    mapButton.setAttribute('aria-expanded', String(open));
    mapButton.textContent = open ? t('hideMap') : t('showMap');
    if (open && !map) {
      const { drawJourney } = await import('./map.js');
      map = await drawJourney(mapBox, j, config, (leg) => routeColors(leg).background);
    }
  });
  details.append(mapButton, mapBox);
  const toggle = el('button', { type: 'button', class: 'summary', 'aria-expanded': 'false', 'aria-controls': `${id}-details`,
                                'data-testid': 'journey-toggle' },
    el('span', { class: 'times', 'data-testid': 'journey-times' },
      el('time', { datetime: j.departure, 'data-testid': 'journey-departure', text: clock(j.departure, date) }), ' → ',
      el('time', { datetime: j.arrival, 'data-testid': 'journey-arrival', text: clock(j.arrival, date) })),
    el('span', { class: 'duration', 'data-testid': 'journey-duration', text: formatDuration(j.duration_s, t) }),
    el('span', { class: 'meta' },
      el('span', { 'data-testid': 'journey-rides', text: ridesText }),
      walkSeconds > 0 ? el('span', { 'data-testid': 'journey-walk', text: t('walkMin', { m: minutesOf(walkSeconds) }) }) : null,
      fare ? el('span', { 'data-testid': 'journey-fare', text: `${t('fare')} ${fare}` }) : null),
    el('span', { class: 'badges' }, ...(j.legs ?? []).filter((l) => l.mode !== 'walk').map(badge)));
  toggle.addEventListener('click', () => {
    const open = details.hidden;
    details.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  });
  return el('li', { class: 'card', 'data-testid': 'journey-card', 'aria-label': t('detailsOf', { n: i + 1 }) }, toggle, details);
}

async function runSearch() {
  const results = $('results');
  const list = $('result-list');
  showError(null);
  if (!isCompleteSearch(state)) {
    results.hidden = true;
    return;
  }
  searchAbort?.abort();
  searchAbort = new AbortController();
  announce(t('searching'));
  document.body.setAttribute('aria-busy', 'true');
  try {
    const r = await getJson(`/v1/plan?${planQuery(state, apiLang())}`, { signal: searchAbort.signal });
    const answered = performance.now();
    const journeys = r.journeys ?? [];
    const alerts = alertsOf(r);
    list.replaceChildren(...journeys.map((j, i) => renderJourney(j, i, r.date || state.date, alerts)));
    if (journeys.length === 0) list.append(el('li', { class: 'empty', 'data-testid': 'no-journey', text: t('noJourney') }));
    results.hidden = false;
    if (journeys.length === 1) list.querySelector('[data-testid=journey-toggle]')?.click();
    void list.offsetHeight;  // lay the cards out, so that the time below includes it
    // From the parsed answer to the laid-out cards (docs/web-app.md: at most 100 ms; the browser
    // test reads it).
    list.dataset.renderMs = (performance.now() - answered).toFixed(1);
    announce(journeys.length ? t('found', { n: journeys.length }) : t('noJourney'));
  } catch (e) {
    if (e?.name === 'AbortError') return;
    results.hidden = true;
    list.replaceChildren();
    announce('');
    showError(e);
  } finally {
    document.body.removeAttribute('aria-busy');
  }
}

// ------------------------------------------------------------------ departures board

async function runBoard() {
  clearInterval(boardTimer);
  document.body.classList.toggle('kiosk', state.kiosk);
  showError(null);
  const list = $('board-list');
  const load = async () => {
    const q = new URLSearchParams({ n: state.kiosk ? '12' : '10', lang: apiLang() });
    // A station display always shows what leaves next; a visitor's board the time asked for.
    const now = new Date();
    q.set('date', (!state.kiosk && state.date) || defaultDate(now, service.start, service.end));
    q.set('time', (!state.kiosk && state.time) || defaultTime(now));
    try {
      const r = await getJson(`/v1/stops/${encodeURIComponent(state.stop)}/departures?${q}`);
      showError(null);
      $('board-heading').textContent = t('boardFor', { s: stopLabel(r.stop ?? {}) });
      const deps = r.departures ?? [];
      const alerts = alertsOf(r);
      const stopAlerts = alertNotes(r.stop_alert_ids, alerts);
      list.replaceChildren(...deps.map((d) => el('li', { 'data-testid': 'departure', class: d.cancelled ? 'dep cancelled' : 'dep' },
        el('time', { datetime: d.time, class: 'time', text: clock(d.time, r.date) }),
        scheduledTime(d.realtime && !d.cancelled, d.delay_s, d.scheduled_time, r.date),
        badge(d.route ?? {}),
        el('span', { class: 'headsign', text: d.headsign || d.route?.long_name || '' }),
        d.platform_code ? el('span', { class: 'platform', text: t('platform', { p: d.platform_code }) }) : null,
        d.cancelled ? el('span', { class: 'delay', 'data-testid': 'cancelled', text: t('cancelled') })
          : d.realtime ? delayNote(d.delay_s ?? 0) : null,
        ...alertNotes(d.alert_ids, alerts))));
      if (stopAlerts.length) list.prepend(el('li', { class: 'stop-alerts', 'data-testid': 'stop-alerts' }, ...stopAlerts));
      if (deps.length === 0) list.append(el('li', { class: 'empty', text: t('noDepartures') }));
      $('board-updated').textContent = t('refreshed', { t: defaultTime(new Date()) });
      if (!state.kiosk) announce(`${$('board-heading').textContent}: ${deps.length}`);
    } catch (e) {
      $('board-heading').textContent = t('board');
      list.replaceChildren();
      showError(e);
    }
  };
  const tick = () => {
    const now = new Date();
    $('board-clock').textContent = defaultTime(now);
  };
  tick();
  await load();
  // A station display refreshes itself; a visitor's board only when asked.
  if (state.kiosk) boardTimer = setInterval(() => { tick(); load(); }, 30000);
  $('board-back').href = urlFor({ ...state, view: 'search', stop: '', kiosk: false });
  $('kiosk-link').href = urlFor({ ...state, kiosk: true, date: '', time: '' });
  $('kiosk-link').hidden = state.kiosk;
}

// ------------------------------------------------------------------ views

function render() {
  const board = state.view === 'board' && state.stop !== '';
  $('search-view').hidden = board;
  $('board-view').hidden = !board;
  if (board) {
    $('results').hidden = true;
    runBoard();
  } else {
    clearInterval(boardTimer);
    document.body.classList.remove('kiosk');
    applyStateToForm();
    runSearch();
  }
}

function navigate(next, replace = false) {
  state = withLang(next);
  const url = urlFor(state);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

function boardLinkFor(stopId) {
  return urlFor({ ...state, view: 'board', stop: stopId, kiosk: false });
}

function init() {
  applyTexts();
  setupCombo($('from-input'), $('from-list'));
  setupCombo($('to-input'), $('to-list'));
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const s = formState();
    if (!s.from || !s.to) {
      showError({ kind: 'need' });
      return;
    }
    navigate(s);
    $('results').focus({ preventScroll: true });
  });
  $('swap').addEventListener('click', () => {
    const a = $('from-input');
    const b = $('to-input');
    [a.value, b.value] = [b.value, a.value];
    const [va, vb] = [a.dataset.value, b.dataset.value];
    if (vb) a.dataset.value = vb; else delete a.dataset.value;
    if (va) b.dataset.value = va; else delete b.dataset.value;
  });
  $('locate').addEventListener('click', () => {
    if (!navigator.geolocation) return showError({ kind: 'location' });
    navigator.geolocation.getCurrentPosition((pos) => {
      const input = $('from-input');
      input.dataset.value = locationValue(pos.coords.latitude, pos.coords.longitude);
      input.value = t('myLocation');
    }, () => showError({ kind: 'location' }), { timeout: 10000, maximumAge: 60000 });
  });
  $('lang-select').addEventListener('change', (e) => {
    lang = e.target.value;
    applyTexts();
    navigate({ ...state, ...(state.view === 'search' ? formState() : {}), view: state.view }, true);
  });
  $('clock-select').addEventListener('change', (e) => navigate({ ...state, clock: e.target.value }, true));
  $('home-link').addEventListener('click', (e) => {
    e.preventDefault();
    navigate({ ...parseState(''), clock: state.clock });
  });
  window.addEventListener('popstate', () => {
    state = parseState(location.search);
    lang = chooseLanguage(state.lang, navigator.languages);
    applyTexts();
    render();
  });
  // Clicking a stop name in a leg opens its board.
  $('result-list').addEventListener('click', (e) => {
    const a = e.target.closest('a[data-board]');
    if (a) { e.preventDefault(); navigate({ ...state, view: 'board', stop: a.dataset.board }); }
  });
  history.replaceState(null, '', urlFor(state));
  state = withLang(state);
  render();
  getJson('/config.json').then((c) => { config = { ...config, ...c }; }).catch(() => {});
  getJson(`/v1/feeds?lang=${encodeURIComponent(apiLang())}`).then((f) => {
    service = { start: f.service_start ?? '', end: f.service_end ?? '' };
    if (service.start) $('date-input').min = service.start;
    if (service.end) $('date-input').max = service.end;
  }).catch(() => {});
}

init();
