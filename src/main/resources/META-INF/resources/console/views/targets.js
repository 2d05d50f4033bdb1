import {h, replace, keyText} from '../dom.js';
import {call, SEMANTIC_PATCH} from '../api.js';
import * as session from '../session.js';
import {local, utc, relative, zone, inputValue, fromInput} from '../time.js';
import {describe, summary} from './changes.js';

const PAGE = 50;
const MAX_INSTRUCTIONS = 250;
const MAX_COMMENT = 4096;
const DAY = 24 * 3600e3;
const SHOW = [['all', 'All'], ['included', 'Included'], ['excluded', 'Excluded'], ['scheduled', 'Scheduled'], ['unscheduled', 'Not scheduled']];

/** Why the editing controls are off for this token. */
export function readOnlyReason() {
  return 'This token\'s role is ' + session.role() + ', which may only read. Sign in with a writer or admin token to change schedules.';
}

/**
 * The segment's targets, searched by key and shown a page at a time (the page holds at most
 * PAGE rows, however large the segment), each with its removal date in the viewer's time zone,
 * in UTC and from now; and the controls that stage changes and apply them as one request.
 */
export function targetsSection(context, container, state, {paths, applied}) {
  const view = {search: context.query.get('key') || '', show: 'all', kind: 'all', page: 0, editing: null, busy: false, outcome: null};
  const m = () => state.model;
  const readOnly = readOnlyReason();

  const search = h('input', {type: 'search', id: 'target-search', value: view.search, placeholder: 'Search by key', 'aria-label': 'Search targets by key',
    spellcheck: false, maxLength: 600});
  const show = h('select', {id: 'target-show', 'aria-label': 'Which targets'}, SHOW.map(([value, label]) => h('option', {value}, label)));
  const kind = h('select', {id: 'target-kind', 'aria-label': 'Context kind'});
  const status = h('p', {className: 'status', id: 'target-status', role: 'status'});
  const pager = h('div', {className: 'pager', id: 'target-pager'});
  const rows = h('tbody', {id: 'target-rows'});
  const pendingBox = h('aside', {className: 'pending', id: 'pending', 'aria-label': 'Changes to apply'});
  const comment = h('textarea', {id: 'change-comment', rows: 2, maxLength: MAX_COMMENT, placeholder: 'Why? (kept in the audit log)',
    'aria-label': 'Comment for the audit log'});

  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      view.search = search.value;
      view.page = 0;
      context.setQuery({key: view.search});
      draw();
    }, 150);
  });
  show.addEventListener('change', () => {
    view.show = show.value;
    view.page = 0;
    draw();
  });
  kind.addEventListener('change', () => {
    view.kind = kind.value;
    view.page = 0;
    draw();
  });

  replace(container,
    pendingBox,
    h('div', {className: 'toolbar'}, search, show, kind, status),
    h('table', {className: 'grid targets-table', id: 'targets'},
      h('thead', {}, h('tr', {},
        h('th', {scope: 'col'}, 'Key'), h('th', {scope: 'col'}, 'Kind'), h('th', {scope: 'col'}, 'List'),
        h('th', {scope: 'col'}, 'Removal (your time: ' + zone + ')'), h('th', {scope: 'col'}, 'UTC'), h('th', {scope: 'col'}, 'When'),
        h('th', {scope: 'col'}, 'Change'))),
      rows),
    pager);
  draw();

  function matching() {
    const q = view.search.toLowerCase();
    const schedules = m().schedules;
    return m().targets.filter(t => (!q || t.lower.includes(q))
      && (view.kind === 'all' || t.kind === view.kind)
      && (view.show === 'all' || view.show === t.list
        || (view.show === 'scheduled' && schedules.has(t.id)) || (view.show === 'unscheduled' && !schedules.has(t.id))));
  }

  function draw() {
    replace(kind, h('option', {value: 'all'}, 'All kinds'), m().kinds.map(k => h('option', {value: k, selected: k === view.kind}, k)));
    kind.hidden = m().kinds.length < 2;
    const found = matching();
    const pages = Math.max(1, Math.ceil(found.length / PAGE));
    view.page = Math.min(view.page, pages - 1);
    const first = view.page * PAGE;
    const shown = found.slice(first, first + PAGE);
    replace(status, found.length === 0
      ? (m().targets.length === 0 ? 'This segment has no targets yet.' : 'No target matches.')
      : 'Showing ' + (first + 1).toLocaleString() + '–' + (first + shown.length).toLocaleString() + ' of ' + found.length.toLocaleString()
        + (found.length === m().targets.length ? '' : ' matching (' + m().targets.length.toLocaleString() + ' in all)'));
    const now = Date.now();
    replace(rows, shown.map(t => targetRows(t, now)));
    const go = page => () => {
      view.page = page;
      draw();
    };
    replace(pager,
      h('button', {type: 'button', className: 'page-first', disabled: view.page === 0, on: {click: go(0)}}, '« First'),
      h('button', {type: 'button', className: 'page-prev', disabled: view.page === 0, on: {click: go(view.page - 1)}}, '‹ Previous'),
      h('span', {className: 'page-of'}, 'Page ' + (view.page + 1).toLocaleString() + ' of ' + pages.toLocaleString()),
      h('button', {type: 'button', className: 'page-next', disabled: view.page >= pages - 1, on: {click: go(view.page + 1)}}, 'Next ›'),
      h('button', {type: 'button', className: 'page-last', disabled: view.page >= pages - 1, on: {click: go(pages - 1)}}, 'Last »'));
    drawPending();
  }

  function targetRows(t, now) {
    const schedule = m().schedules.get(t.id);
    const change = state.pending.get(t.id);
    const disabled = !state.writable || view.busy;
    const reason = !state.writable ? readOnly : view.busy ? 'Changes are being applied.' : undefined;
    const row = h('tr', {className: 'target' + (change ? ' changed' : '') + (change && change.error ? ' failed' : ''), 'data-list': t.list},
      h('td', {className: 'key-cell'}, keyText(t.key),
        change ? h('div', {className: 'staged'}, 'Pending: ', summary(change, local)) : null,
        change && change.error ? h('div', {className: 'error instruction-error', role: 'alert'}, change.error) : null),
      h('td', {}, t.kind),
      h('td', {}, t.list),
      schedule ? h('td', {className: 'removal-local'}, local(schedule.date)) : h('td', {className: 'removal-local none'}, '–'),
      schedule ? h('td', {className: 'removal-utc'}, utc(schedule.date)) : h('td', {className: 'removal-utc none'}, ''),
      schedule ? h('td', {className: 'removal-relative'}, relative(schedule.date, now)) : h('td', {className: 'removal-relative none'}, ''),
      h('td', {className: 'actions'},
        h('button', {type: 'button', className: 'edit', disabled, title: reason, on: {click: () => {
          view.editing = view.editing === t.id ? null : t.id;
          draw();
        }}}, schedule ? 'Move…' : 'Schedule…'),
        schedule ? h('button', {type: 'button', className: 'cancel-removal', disabled, title: reason, on: {click: () => {
          state.pending.cancel(t);
          view.editing = null;
          draw();
        }}}, 'Cancel removal') : null,
        change ? h('button', {type: 'button', className: 'undo', disabled: view.busy, on: {click: () => {
          state.pending.undo(t.id);
          draw();
        }}}, 'Undo') : null));
    return view.editing === t.id && state.writable ? [row, editor(t, schedule)] : row;
  }

  function editor(t, schedule) {
    const start = schedule ? schedule.date : Math.ceil((Date.now() + DAY) / 3600e3) * 3600e3;
    const input = h('input', {type: 'datetime-local', className: 'removal-input', step: 60, value: inputValue(start), min: inputValue(Date.now()),
      'aria-label': 'Removal date and time in your time zone (' + zone + ')'});
    const preview = h('span', {className: 'preview'});
    const problem = h('span', {className: 'error'});
    const update = () => {
      const value = fromInput(input.value);
      replace(preview, Number.isNaN(value) ? '' : [utc(value), ' · ', relative(value)]);
      replace(problem);
    };
    input.addEventListener('input', update);
    update();
    const quick = days => h('button', {type: 'button', className: 'quick', on: {click: () => {
      input.value = inputValue(Math.ceil((Date.now() + days * DAY) / 60e3) * 60e3);
      update();
    }}}, '+' + days + (days === 1 ? ' day' : ' days'));
    const stage = () => {
      const value = fromInput(input.value);
      if (Number.isNaN(value)) {
        replace(problem, 'Pick a date and time.');
      } else if (value <= Date.now()) {
        replace(problem, 'Pick a moment in the future.');
      } else if (schedule && schedule.date === value) {
        replace(problem, 'That is the date it has already.');
      } else {
        state.pending.schedule(t, schedule, value);
        view.editing = null;
        draw();
      }
    };
    return h('tr', {className: 'editor'}, h('td', {colspan: 7},
      h('label', {}, (schedule ? 'Move the removal to ' : 'Remove on ') + '(your time, ' + zone + '): ', input),
      ' ', quick(1), quick(7), quick(30), ' ', preview, ' ',
      h('button', {type: 'button', className: 'stage primary', on: {click: stage}}, schedule ? 'Stage the move' : 'Stage the removal'),
      h('button', {type: 'button', className: 'close', on: {click: () => {
        view.editing = null;
        draw();
      }}}, 'Close'),
      ' ', problem));
  }

  function drawPending() {
    const changes = state.pending.list();
    const outcome = view.outcome ? h('p', {className: view.outcome.kind, id: 'apply-outcome', role: 'status'}, view.outcome.text) : null;
    if (changes.length === 0) {
      replace(pendingBox, outcome);
      pendingBox.classList.toggle('empty', !outcome);
      return;
    }
    pendingBox.classList.remove('empty');
    const tooMany = changes.length > MAX_INSTRUCTIONS;
    const reason = !state.writable ? readOnly
      : tooMany ? 'At most ' + MAX_INSTRUCTIONS + ' changes go in one request: undo some first.' : view.busy ? 'Applying…' : null;
    replace(pendingBox,
      h('h2', {}, changes.length === 1 ? '1 change to apply' : changes.length + ' changes to apply, as one request'),
      h('ol', {className: 'pending-list'}, changes.map(change => h('li', {className: change.error ? 'failed' : ''},
        describe(change, local).map((part, i) => i === 1 ? keyText(part) : part),
        change.error ? h('div', {className: 'error'}, change.error) : null))),
      comment,
      h('div', {className: 'pending-actions'},
        h('button', {type: 'button', className: 'primary', id: 'apply-changes', disabled: !!reason, title: reason || undefined, on: {click: apply}},
          'Apply ' + (changes.length === 1 ? 'the change' : 'all ' + changes.length + ' changes')),
        h('button', {type: 'button', id: 'discard-changes', disabled: view.busy, on: {click: () => {
          state.pending.clear();
          view.outcome = null;
          draw();
        }}}, 'Discard all'),
        reason ? h('span', {className: 'reason'}, reason) : null),
      outcome);
  }

  async function apply() {
    const sent = state.pending.list();
    view.busy = true;
    view.outcome = null;
    draw();
    let answer;
    try {
      answer = await call(paths.expiring, {method: 'PATCH', contentType: SEMANTIC_PATCH, body: state.pending.request(comment.value.trim())});
    } catch (e) {
      view.busy = false;
      // A refusal (4xx) changed nothing; without an answer, or with a 5xx, the outcome is unknown.
      view.outcome = e.status >= 400 && e.status < 500
        ? {kind: 'error', text: 'Nothing was changed: ' + e.message}
        : {kind: 'error', text: e.message + ' Whether the changes took effect is unknown: reload the page to see the schedules as they are.'};
      draw();
      return;
    }
    const failed = state.pending.settle(sent, answer.errors);
    view.busy = false;
    const done = sent.length - failed;
    view.outcome = failed === 0
      ? {kind: 'success', text: (done === 1 ? 'The change was applied.' : 'All ' + done + ' changes were applied, as one change of the segment.')}
      : {kind: 'error', text: done + ' of ' + sent.length + ' changes applied; ' + failed + ' failed: see the message next to each.'};
    if (failed === 0) {
      comment.value = '';
    }
    await applied(answer.items);
    draw();
  }
}
