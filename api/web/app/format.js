// Times, durations and dates as the visitor reads them. The API gives ISO local times of the
// feed's time zone ("2026-04-08T25:10:00" never occurs: after midnight the date moves on).

// "2026-04-08T09:45:00" → { date: "2026-04-08", h: 9, m: 45 } (null when not an ISO local time).
export function parseIsoLocal(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(iso ?? '');
  if (!m) return null;
  return { date: m[1], h: Number(m[2]), m: Number(m[3]) };
}

const pad = (n) => String(n).padStart(2, '0');

// The clock time of an ISO local time: "09:45" (24-hour) or "9:45 AM" (12-hour, in the page's
// language: "午前9:45", "오전 9:45", "上午9:45"). `serviceDate`: a later date is marked.
export function formatClock(iso, { clock = '24', lang = 'en', serviceDate = '', nextDayLabel = '+1' } = {}) {
  const p = parseIsoLocal(iso);
  if (!p) return '';
  let s;
  if (clock === '12') {
    const d = new Date(Date.UTC(2000, 0, 1, p.h, p.m));
    s = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'UTC' }).format(d);
  } else {
    s = `${pad(p.h)}:${pad(p.m)}`;
  }
  if (serviceDate && p.date > serviceDate) s += ` (${nextDayLabel})`;
  return s;
}

// Seconds → whole minutes, rounded up: a 30-second walk is "1 min", never "0 min".
export function minutesOf(seconds) {
  return Math.max(0, Math.ceil((Number(seconds) || 0) / 60));
}

// Seconds → "{m} min" or "{h} h {m} min" through the page's texts.
export function formatDuration(seconds, t) {
  const total = minutesOf(seconds);
  if (total < 60) return t('minutes', { m: total });
  return t('hours', { h: Math.floor(total / 60), m: total % 60 });
}

// Today as YYYY-MM-DD in the browser's zone, clamped into the timetable's days.
export function defaultDate(now, serviceStart = '', serviceEnd = '') {
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  if (serviceStart && today < serviceStart) return serviceStart;
  if (serviceEnd && today > serviceEnd) return serviceEnd;
  return today;
}

export function defaultTime(now) {
  return `${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

// Walking minutes and rides of a journey, for its card.
export function journeySummary(journey) {
  const legs = journey.legs ?? [];
  const walkSeconds = legs.filter((l) => l.mode === 'walk').reduce((a, l) => a + (l.duration_s ?? 0), 0);
  const rides = legs.filter((l) => l.mode !== 'walk').length;
  return { walkSeconds, rides };
}

// A route colour from the feed ("C8102E") as CSS, and a text colour that reads on it (WCAG
// contrast ≥ 4.5 against the background when the feed gives none).
export function badgeColors(color, textColor) {
  const valid = (c) => typeof c === 'string' && /^[0-9a-fA-F]{6}$/.test(c);
  if (!valid(color)) return { background: '#3d4a57', color: '#ffffff' };
  const bg = `#${color}`;
  if (valid(textColor) && contrastRatio(color, textColor) >= 4.5) return { background: bg, color: `#${textColor}` };
  return { background: bg, color: contrastRatio(color, 'ffffff') >= contrastRatio(color, '000000') ? '#ffffff' : '#000000' };
}

function luminance(hex) {
  const ch = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = ch.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

export function contrastRatio(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
