// Time and duration formatting of the web app (api/web/app/format.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, formatDuration, minutesOf, defaultDate, journeySummary, badgeColors, contrastRatio, parseIsoLocal }
  from '../../api/web/app/format.js';
import { t } from '../../api/web/app/i18n.js';

test('24-hour clock with leading zeros, next day marked', () => {
  assert.equal(formatClock('2026-04-08T09:05:00'), '09:05');
  assert.equal(formatClock('2026-04-08T23:59:00', { serviceDate: '2026-04-08' }), '23:59');
  assert.equal(formatClock('2026-04-09T00:15:00', { serviceDate: '2026-04-08', nextDayLabel: '+1' }), '00:15 (+1)');
  assert.equal(formatClock('not a time'), '');
  assert.deepEqual(parseIsoLocal('2026-04-08T13:07:00'), { date: '2026-04-08', h: 13, m: 7 });
});

test('12-hour clock follows the language', () => {
  const en = formatClock('2026-04-08T13:07:00', { clock: '12', lang: 'en' });
  assert.match(en, /^1:07\s?PM$/);
  const ja = formatClock('2026-04-08T13:07:00', { clock: '12', lang: 'ja' });
  assert.match(ja, /午後\s?1:07/);
  const ko = formatClock('2026-04-08T09:30:00', { clock: '12', lang: 'ko' });
  // Debian's Node may carry ICU without Korean day periods; Chromium has them.
  assert.match(ko, /(오전|AM)\s?9:30/);
});

test('durations round up to whole minutes', () => {
  assert.equal(minutesOf(0), 0);
  assert.equal(minutesOf(1), 1);
  assert.equal(minutesOf(60), 1);
  assert.equal(minutesOf(61), 2);
  const en = (k, a) => t('en', k, a);
  const ja = (k, a) => t('ja', k, a);
  assert.equal(formatDuration(55 * 60, en), '55 min');
  assert.equal(formatDuration(3600 + 5 * 60, en), '1 h 5 min');
  assert.equal(formatDuration(2 * 3600, ja), '2時間0分');
});

test('default date is today, clamped into the timetable', () => {
  const now = new Date(2026, 11, 2, 10, 0);
  assert.equal(defaultDate(now), '2026-12-02');
  assert.equal(defaultDate(now, '2027-01-01', '2027-12-31'), '2027-01-01');
  assert.equal(defaultDate(now, '2026-04-01', '2026-06-30'), '2026-06-30');
});

test('journey summary counts rides and walking seconds', () => {
  const j = { legs: [{ mode: 'walk', duration_s: 120 }, { mode: 'ride' }, { mode: 'walk', duration_s: 30 }, { mode: 'ride' }] };
  assert.deepEqual(journeySummary(j), { walkSeconds: 150, rides: 2 });
  assert.deepEqual(journeySummary({}), { walkSeconds: 0, rides: 0 });
});

test('route badges always reach 4.5:1 contrast', () => {
  assert.ok(Math.abs(contrastRatio('ffffff', '000000') - 21) < 1e-9);
  for (const [bg, fg] of [['FFFF00', ''], ['003366', ''], ['C8102E', 'C8102E'], ['7FB2E5', 'FFFFFF'], ['zzz', '']]) {
    const c = badgeColors(bg, fg);
    assert.ok(contrastRatio(c.background.slice(1), c.color.slice(1)) >= 4.5, `${bg}/${fg} → ${c.background}/${c.color}`);
  }
  assert.deepEqual(badgeColors('003366', 'FFFFFF'), { background: '#003366', color: '#FFFFFF' });
});
