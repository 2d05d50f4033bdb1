import {h, replace, keyText} from '../dom.js';
import {key, withQuery} from '../api.js';
import {local, relative} from '../time.js';
import {pagedList, tags} from './list.js';
import {answer, environmentOf, project as readProject} from './page.js';

const SORTS = [['name', 'Name'], ['-lastModified', 'Last modified'], ['-creationDate', 'Newest'], ['creationDate', 'Oldest']];

export async function segments(context, projectKey, environmentKey) {
  context.crumbs([{label: 'Projects', route: '/'}, {label: projectKey, route: '/projects/' + encodeURIComponent(projectKey)}, {label: environmentKey}]);
  const project = await answer(context, () => readProject(projectKey));
  if (!project) {
    return;
  }
  const environment = environmentOf(project, environmentKey);
  if (!environment) {
    replace(context.view, h('p', {className: 'error'}, 'Project "' + projectKey + '" has no environment "' + environmentKey + '".'));
    return;
  }
  context.crumbs([{label: 'Projects', route: '/'}, {label: project.name, route: '/projects/' + encodeURIComponent(projectKey)},
    {label: environment.name}]);
  const search = context.query.get('q') || '';
  let sort = SORTS.some(([value]) => value === context.query.get('sort')) ? context.query.get('sort') : 'name';
  const base = '/projects/' + encodeURIComponent(projectKey) + '/environments/' + encodeURIComponent(environmentKey) + '/segments/';
  let currentSearch = search;
  const path = q => withQuery('/api/v2/segments/' + key(projectKey) + '/' + key(environmentKey),
    {limit: 20, sort, filter: q ? 'query equals ' + JSON.stringify(q) : ''});
  const sortSelect = h('select', {id: 'segment-sort', 'aria-label': 'Sort segments', on: {change: () => {
    sort = sortSelect.value;
    context.navigate('/projects/' + encodeURIComponent(projectKey) + '/environments/' + encodeURIComponent(environmentKey), {q: currentSearch, sort});
  }}}, SORTS.map(([value, label]) => h('option', {value, selected: value === sort}, label)));
  pagedList(context, {
    title: 'Segments in ' + project.name + ' / ' + environment.name, searchLabel: 'Search segments by key, name or description', search,
    onSearch: q => {
      currentSearch = q;
      context.setQuery({q, sort});
    },
    path, tools: sortSelect,
    head: ['Segment', 'Key', 'Included', 'Excluded', 'Tags', 'Last modified'],
    empty: search ? 'No segment matches.' : 'There are no segments in this environment yet.',
    row: segment => h('tr', {},
      h('td', {}, h('a', {route: base + encodeURIComponent(segment.key), className: 'segment-link'}, h('bdi', {}, segment.name))),
      h('td', {}, keyText(segment.key)),
      h('td', {className: 'number'}, count(segment.included, segment.includedContexts)),
      h('td', {className: 'number'}, count(segment.excluded, segment.excludedContexts)),
      h('td', {}, tags(segment.tags)),
      h('td', {title: local(segment.lastModifiedDate)}, relative(segment.lastModifiedDate))),
  });
}

function count(users, contexts) {
  return ((users || []).length + (contexts || []).reduce((n, c) => n + (c.values || []).length, 0)).toLocaleString();
}
