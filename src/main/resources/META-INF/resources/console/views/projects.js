import {h, keyText} from '../dom.js';
import {withQuery} from '../api.js';
import {pagedList, tags} from './list.js';

export function projects(context) {
  context.crumbs([{label: 'Projects'}]);
  const search = context.query.get('q') || '';
  pagedList(context, {
    title: 'Projects', searchLabel: 'Search projects by name or key', search,
    onSearch: q => context.setQuery({q}),
    // The project list's filter is field:value pairs split at commas, so a comma cannot be searched for.
    path: q => withQuery('/api/v2/projects', {limit: 20, expand: 'environments', filter: q ? 'query:' + q.replaceAll(',', ' ') : ''}),
    head: ['Project', 'Key', 'Environments', 'Tags'],
    empty: search ? 'No project matches.' : 'There are no projects yet. Create one with POST /api/v2/projects.',
    row: project => {
      // With expand=environments each project carries its environments as a collection.
      const environments = project.environments && project.environments.items || [];
      return h('tr', {},
        h('td', {}, h('a', {route: '/projects/' + encodeURIComponent(project.key), className: 'project-link'}, h('bdi', {}, project.name))),
        h('td', {}, keyText(project.key)),
        h('td', {}, environments.length === 0 ? '–' : environments.map((environment, i) => [i > 0 ? ', ' : null,
          h('a', {route: '/projects/' + encodeURIComponent(project.key) + '/environments/' + encodeURIComponent(environment.key)},
            h('bdi', {}, environment.name))])),
        h('td', {}, tags(project.tags)));
    },
  });
}
