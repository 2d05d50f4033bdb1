import {h, replace} from '../dom.js';
import {call} from '../api.js';
import {answer} from './page.js';

/**
 * A list the API pages (projects, environments, segments): a search box, the page's rows, and
 * buttons that follow the answer's own first/prev/next/last links, as LaunchDarkly's clients
 * are told to. {@code path(search)} gives the first page's path for a search.
 */
export function pagedList(context, {title, searchLabel, search, onSearch, path, head, row, empty, tools}) {
  const status = h('p', {className: 'status', role: 'status'});
  const body = h('tbody');
  const nav = h('div', {className: 'pager'});
  const input = h('input', {type: 'search', id: 'list-search', value: search || '', placeholder: searchLabel, 'aria-label': searchLabel,
    spellcheck: false, maxLength: 200});
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      onSearch(input.value.trim());
      load(path(input.value.trim()));
    }, 300);
  });
  replace(context.view,
    h('section', {className: 'list'},
      h('div', {className: 'list-head'}, h('h1', {}, title), h('div', {className: 'tools'}, input, tools || null)),
      status,
      h('table', {className: 'grid'}, h('thead', {}, h('tr', {}, head.map(label => h('th', {scope: 'col'}, label)))), body),
      nav));
  load(path(search || ''));

  async function load(href) {
    replace(status, 'Loading…');
    const page = await answer(context, () => call(href), status);
    if (!page) {
      return;
    }
    const items = page.items || [];
    try {
      replace(body, items.map(row));
    } catch (e) {
      replace(status, h('span', {className: 'error'}, 'The console could not show this answer: ' + e.message));
      return;
    }
    const links = page._links || {};
    const offset = Number(new URLSearchParams((links.self && links.self.href || '').split('?')[1] || '').get('offset') || 0);
    replace(status, items.length === 0 ? empty
      : 'Showing ' + (offset + 1).toLocaleString() + '–' + (offset + items.length).toLocaleString() + ' of ' + page.totalCount.toLocaleString());
    replace(nav, [['first', '« First'], ['prev', '‹ Previous'], ['next', 'Next ›'], ['last', 'Last »']].map(([rel, label]) =>
      h('button', {type: 'button', className: 'page-' + rel, disabled: !links[rel] || links[rel].href === (links.self && links.self.href),
        on: {click: () => load(links[rel].href)}}, label)));
  }
}

/** Tags as small labels. */
export function tags(values) {
  return h('span', {className: 'tags'}, (values || []).map(tag => h('bdi', {className: 'tag'}, tag)));
}
