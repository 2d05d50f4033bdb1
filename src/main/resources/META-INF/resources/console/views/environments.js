import {h, keyText} from '../dom.js';
import {key, withQuery} from '../api.js';
import {pagedList, tags} from './list.js';
import {answer, project as readProject} from './page.js';

export async function environments(context, projectKey) {
  context.crumbs([{label: 'Projects', route: '/'}, {label: projectKey}]);
  const project = await answer(context, () => readProject(projectKey));
  if (!project) {
    return;
  }
  context.crumbs([{label: 'Projects', route: '/'}, {label: project.name}]);
  const search = context.query.get('q') || '';
  const base = '/projects/' + encodeURIComponent(projectKey) + '/environments/';
  pagedList(context, {
    title: 'Environments of ' + project.name, searchLabel: 'Search environments by name or key', search,
    onSearch: q => context.setQuery({q}),
    path: q => withQuery('/api/v2/projects/' + key(projectKey) + '/environments', {limit: 20, filter: q ? 'query:' + q.replaceAll(',', ' ') : ''}),
    head: ['Environment', 'Key', 'Tags'],
    empty: search ? 'No environment matches.' : 'This project has no environments.',
    row: environment => h('tr', {},
      h('td', {}, colour(environment.color), h('a', {route: base + encodeURIComponent(environment.key), className: 'environment-link'},
        h('bdi', {}, environment.name)), environment.critical ? h('span', {className: 'badge'}, 'critical') : null),
      h('td', {}, keyText(environment.key)),
      h('td', {}, tags(environment.tags))),
  });
}

/** The environment's colour as a swatch; only a six-digit hex colour is used. */
export function colour(value) {
  const swatch = h('span', {className: 'swatch', 'aria-hidden': 'true'});
  if (/^[0-9A-Fa-f]{6}$/.test(value || '')) {
    swatch.style.backgroundColor = '#' + value;
  }
  return swatch;
}
