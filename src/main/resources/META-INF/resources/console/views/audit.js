import {h, replace, append} from '../dom.js';
import {call, withQuery} from '../api.js';
import {local, relative} from '../time.js';
import {answer} from './page.js';

/**
 * The segment's audit log, newest first, a page at a time by following _links.next: when, who
 * (the token's name, or the expiry service), the comment, and what changed, line by line.
 */
export function auditLog(context, container, spec) {
  const list = h('ol', {className: 'audit', id: 'audit-entries'});
  const status = h('p', {className: 'status', id: 'audit-status', role: 'status'}, 'Loading the audit log…');
  const more = h('button', {type: 'button', id: 'audit-more', hidden: true}, 'Older entries');
  let next = withQuery('/api/v2/auditlog', {spec, limit: 20});
  more.addEventListener('click', load);
  replace(container, h('h2', {}, 'Audit log'), list, status, more);
  load();

  async function load() {
    more.disabled = true;
    const page = await answer(context, () => call(next), status);
    more.disabled = false;
    if (!page) {
      return;
    }
    append(list, (page.items || []).map(entry));
    next = page._links && page._links.next ? page._links.next.href : null;
    replace(status, list.children.length === 0 ? 'No changes recorded.' : next ? '' : 'That is the whole log (entries are kept for the retention period).');
    more.hidden = !next;
  }
}

function entry(item) {
  const author = item.token ? item.token.name : item.subject ? item.subject.name : item.member ? item.member.email : 'someone';
  const lines = (item.description || '').split('\n').filter(line => line.trim() !== '');
  return h('li', {className: 'audit-entry'},
    h('div', {className: 'audit-head'},
      h('time', {title: new Date(item.date).toISOString()}, local(item.date)), ' · ', relative(item.date), ' · ',
      h('bdi', {className: 'author'}, author), ' ', item.titleVerb || 'changed the segment'),
    item.comment ? h('blockquote', {className: 'comment'}, item.comment) : null,
    h('ul', {className: 'effects'}, lines.map(line => line.startsWith('- ')
      ? h('li', {}, line.slice(2))
      : h('li', {className: 'plain'}, line))));
}
