// URL state of the web app (api/web/app/state.js): parse ∘ format is the identity on valid
// states, malformed values fall back, and the plan query carries depart or arrive.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseState, formatState, planQuery, isCompleteSearch, locationValue, isLocationValue } from '../../api/web/app/state.js';

test('a full search survives the URL round trip', () => {
  const s = { view: 'search', from: 'hachinohe', to: '種差海岸', date: '2026-04-08', time: '09:45', arrive: true,
              wheelchair: true, stop: '', kiosk: false, lang: 'ko', clock: '12' };
  const q = formatState(s);
  assert.equal(q, 'from=hachinohe&to=%E7%A8%AE%E5%B7%AE%E6%B5%B7%E5%B2%B8&date=2026-04-08&time=09%3A45&arrive=1&wheelchair=1&lang=ko&clock=12');
  assert.deepEqual(parseState(q), s);
});

test('a board keeps its stop and kiosk flag, and no search fields', () => {
  const q = formatState({ view: 'board', stop: 'aomori', kiosk: true, from: 'x', to: 'y', arrive: true, lang: 'en' });
  assert.equal(q, 'view=board&stop=aomori&kiosk=1&lang=en');
  const s = parseState(q);
  assert.equal(s.view, 'board');
  assert.equal(s.stop, 'aomori');
  assert.equal(s.kiosk, true);
  assert.equal(s.from, '');
});

test('malformed values fall back to defaults', () => {
  const s = parseState('view=admin&date=2026-4-8&time=25:00&arrive=yes&clock=13&from=%20a%20');
  assert.equal(s.view, 'search');
  assert.equal(s.date, '');
  assert.equal(s.time, '');
  assert.equal(s.arrive, false);
  assert.equal(s.clock, '24');
  assert.equal(s.from, 'a');
  assert.equal(parseState('time=23:59').time, '23:59');
  assert.equal(parseState('time=24:00').time, '');
});

test('an empty state is the bare URL', () => {
  assert.equal(formatState(parseState('')), '');
});

test('plan query: depart or arrive, wheelchair, the API language chain', () => {
  const base = { view: 'search', from: 'a', to: 'b', date: '2026-04-08', time: '09:45', arrive: false, wheelchair: false };
  assert.equal(planQuery(base, 'en,ja'), 'from=a&to=b&date=2026-04-08&depart=09%3A45&lang=en%2Cja');
  assert.equal(planQuery({ ...base, arrive: true, wheelchair: true }, 'ja'),
               'from=a&to=b&date=2026-04-08&arrive=09%3A45&wheelchair=true&lang=ja');
  assert.equal(isCompleteSearch(base), true);
  assert.equal(isCompleteSearch({ ...base, to: '' }), false);
  assert.equal(isCompleteSearch({ ...base, view: 'board' }), false);
});

test('my location is lat,lon with 5 decimals', () => {
  assert.equal(locationValue(40.509234567, 141.43), '40.50923,141.43000');
  assert.equal(isLocationValue('40.50923,141.43000'), true);
  assert.equal(isLocationValue('-33.9,-70.1'), true);
  assert.equal(isLocationValue('hachinohe'), false);
  assert.equal(isLocationValue('40.5,'), false);
});
