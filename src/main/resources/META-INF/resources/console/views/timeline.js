import {h, keyText} from '../dom.js';
import {day, local, relative} from '../time.js';

const DAYS = 14;
const NAMES = 3;

/**
 * The removals to come, a row per day in the viewer's time zone: how many leave that day (a bar
 * scaled to the busiest day) and who leaves first. The first DAYS days with removals are shown,
 * the rest summed up, so the timeline stays small for any number of schedules.
 */
export function timeline(m) {
  const upcoming = [...m.schedules.values()];
  if (upcoming.length === 0) {
    return [h('h2', {}, 'Upcoming removals'), h('p', {className: 'status', id: 'timeline-empty'}, 'No removal is scheduled.')];
  }
  upcoming.sort((a, b) => a.date - b.date || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const days = [];
  for (const removal of upcoming) {
    const label = day(removal.date);
    if (days.length === 0 || days[days.length - 1].label !== label) {
      if (days.length === DAYS) {
        break;
      }
      days.push({label, removals: []});
    }
    days[days.length - 1].removals.push(removal);
  }
  const inDays = days.reduce((n, d) => n + d.removals.length, 0);
  const busiest = Math.max(...days.map(d => d.removals.length));
  const first = upcoming[0];
  return [
    h('h2', {}, 'Upcoming removals'),
    h('p', {className: 'next-removal', id: 'next-removal'}, 'Next: ', keyText(first.key), ' leaves ' + first.list + ' ',
      relative(first.date), ' (' + local(first.date) + ').'),
    h('ol', {className: 'days'}, days.map(d => {
      const bar = h('span', {className: 'bar'});
      bar.style.width = Math.max(2, Math.round(100 * d.removals.length / busiest)) + '%';
      return h('li', {className: 'day'},
        h('span', {className: 'day-label'}, d.label),
        h('span', {className: 'bar-track'}, bar),
        h('span', {className: 'day-count'}, d.removals.length.toLocaleString()),
        h('span', {className: 'day-names'}, d.removals.slice(0, NAMES).map((r, i) => [i > 0 ? ', ' : null, keyText(r.key)]),
          d.removals.length > NAMES ? ' and ' + (d.removals.length - NAMES).toLocaleString() + ' more' : null));
    })),
    upcoming.length > inDays
      ? h('p', {className: 'status'}, (upcoming.length - inDays).toLocaleString() + ' more removals after ' + days[days.length - 1].label
        + ', the last ' + relative(upcoming[upcoming.length - 1].date) + '.')
      : null,
  ];
}
