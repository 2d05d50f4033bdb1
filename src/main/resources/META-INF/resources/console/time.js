// Dates as people read them: in the viewer's time zone, in UTC, and how far away.

export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';

const LOCAL = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});
const DAY = new Intl.DateTimeFormat(undefined, {weekday: 'short', year: 'numeric', month: 'short', day: 'numeric'});
const RELATIVE = new Intl.RelativeTimeFormat(undefined, {numeric: 'always'});
const NOW = new Intl.RelativeTimeFormat(undefined, {numeric: 'auto'}).format(0, 'second');

export function local(ms) {
  return LOCAL.format(new Date(ms));
}

export function day(ms) {
  return DAY.format(new Date(ms));
}

/** 2026-12-01 10:00 UTC (seconds only when there are some). */
export function utc(ms) {
  const iso = new Date(ms).toISOString();
  const seconds = iso.slice(17, 19);
  return iso.slice(0, 10) + ' ' + iso.slice(11, 16) + (seconds === '00' && iso.slice(20, 23) === '000' ? '' : ':' + seconds) + ' UTC';
}

const UNITS = [
  ['year', 365 * 24 * 3600e3], ['month', 30 * 24 * 3600e3], ['day', 24 * 3600e3], ['hour', 3600e3], ['minute', 60e3], ['second', 1e3],
];

/** "in 3 days", "5 minutes ago", "now": the largest unit that gives at least 1 (hours up to 36, days up to 45). */
export function relative(ms, now = Date.now()) {
  const diff = ms - now;
  const size = Math.abs(diff);
  if (size < 45e3) {
    return NOW;
  }
  for (const [unit, length] of UNITS) {
    const threshold = unit === 'month' ? 45 * 24 * 3600e3 : unit === 'day' ? 36 * 3600e3 : unit === 'hour' ? 90 * 60e3 : length;
    if (size >= threshold || unit === 'second') {
      return RELATIVE.format(Math.round(diff / length), unit);
    }
  }
  return NOW;
}

const pad = n => String(n).padStart(2, '0');

/** The value of a datetime-local input for a moment, in the viewer's time zone. */
export function inputValue(ms) {
  const d = new Date(ms);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** The moment a datetime-local input names, in the viewer's time zone; NaN when it names none. */
export function fromInput(value) {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value) ? new Date(value).getTime() : NaN;
}
