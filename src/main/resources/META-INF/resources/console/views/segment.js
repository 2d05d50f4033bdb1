import {h, replace, keyText} from '../dom.js';
import {call, key} from '../api.js';
import * as session from '../session.js';
import {local, relative} from '../time.js';
import {targetId, PendingChanges} from './changes.js';
import {targetsSection, readOnlyReason} from './targets.js';
import {timeline} from './timeline.js';
import {auditLog} from './audit.js';
import {tags} from './list.js';
import {answer, environmentOf, project as readProject} from './page.js';

/**
 * A segment's page: its targets with their scheduled removals (editable by writers), a timeline
 * of the removals to come, and its audit log. The segment and all its schedules are read once
 * (two requests, megabytes for the largest segments); search and paging then work in the page.
 */
export async function segment(context, projectKey, environmentKey, segmentKey, tab) {
  const projectRoute = '/projects/' + encodeURIComponent(projectKey);
  const environmentRoute = projectRoute + '/environments/' + encodeURIComponent(environmentKey);
  const segmentRoute = environmentRoute + '/segments/' + encodeURIComponent(segmentKey);
  context.crumbs([{label: 'Projects', route: '/'}, {label: projectKey, route: projectRoute}, {label: environmentKey, route: environmentRoute},
    {label: segmentKey}]);
  let paths;
  try {
    paths = {
      segment: '/api/v2/segments/' + key(projectKey) + '/' + key(environmentKey) + '/' + key(segmentKey),
      expiring: '/api/v2/segments/' + key(projectKey) + '/' + key(segmentKey) + '/expiring-targets/' + key(environmentKey),
      audit: 'proj/' + projectKey + ':env/' + environmentKey + ':segment/' + segmentKey,
    };
  } catch (e) {
    replace(context.view, h('p', {className: 'error'}, e.message));
    return;
  }
  replace(context.view, h('p', {className: 'loading', id: 'segment-loading'}, 'Loading the segment and its scheduled removals…'));

  const state = {model: null, pending: new PendingChanges(), writable: session.mayWrite()};
  const read = await answer(context, () => Promise.all([call(paths.segment), call(paths.expiring), readProject(projectKey)]));
  if (!read) {
    return;
  }
  const [segmentJson, expiringJson, project] = read;
  state.model = model(segmentJson, expiringJson.items);
  const environment = environmentOf(project, environmentKey);
  const names = {project: project.name, environment: environment ? environment.name : environmentKey};
  const seg = state.model.segment;
  context.crumbs([{label: 'Projects', route: '/'}, {label: names.project, route: projectRoute}, {label: names.environment, route: environmentRoute},
    {label: seg.name}]);

  const summary = h('div', {className: 'summary'});
  const body = h('div', {className: 'tab-body'});
  const tabs = [['targets', 'Targets and removals'], ['audit', 'Audit log']];
  replace(context.view,
    h('section', {className: 'segment', id: 'segment-page'},
      h('div', {className: 'segment-head'},
        h('h1', {}, h('bdi', {id: 'segment-name'}, seg.name)),
        h('p', {className: 'meta'}, 'Key ', keyText(seg.key), ' · version ', h('span', {id: 'segment-version'}, String(seg.version)),
          ' · last modified ', h('span', {title: local(seg.lastModifiedDate)}, relative(seg.lastModifiedDate)), ' ', tags(seg.tags)),
        seg.description ? h('p', {className: 'description'}, seg.description) : null),
      summary,
      state.writable ? null : h('p', {className: 'read-only', id: 'read-only-reason', role: 'note'}, 'Read-only. ', readOnlyReason()),
      h('nav', {className: 'tabs', 'aria-label': 'Segment views'}, tabs.map(([name, label]) =>
        h('a', {route: segmentRoute + (name === 'targets' ? '' : '/' + name), className: 'tab' + (name === tab ? ' active' : ''),
          'aria-current': name === tab ? 'page' : undefined, id: 'tab-' + name}, label))),
      body));

  const refreshSummary = () => replace(summary, summaryCards(state.model));
  refreshSummary();
  if (tab === 'audit') {
    auditLog(context, body, paths.audit);
    return;
  }
  const timelineBox = h('section', {className: 'timeline', id: 'timeline', 'aria-label': 'Upcoming removals'});
  const targetsBox = h('section', {className: 'targets'});
  replace(body, timelineBox, targetsBox);
  const refreshTimeline = () => replace(timelineBox, timeline(state.model));
  refreshTimeline();
  targetsSection(context, targetsBox, state, {
    paths,
    // After an applied change: schedules from the PATCH answer, targets read again (removals may have happened meanwhile).
    async applied(items) {
      state.model.setSchedules(items);
      refreshSummary();
      refreshTimeline();
      try {
        const fresh = await call(paths.segment);
        if (context.isCurrent()) {
          state.model.setSegment(fresh);
          replace(document.getElementById('segment-version'), String(fresh.version));
          refreshSummary();
        }
      } catch (e) {
        // The schedules are fresh already; the targets will be on the next load.
      }
    },
  });
}

/** The segment's targets (every list and kind), each with its schedule if it has one. */
function model(segmentJson, items) {
  const m = {
    segment: null, targets: [], schedules: new Map(), kinds: [],
    setSegment(json) {
      this.segment = json;
      const targets = [];
      const add = (kind, list, keys) => keys.forEach(k => targets.push({id: targetId(kind, list, k), kind, list, key: k, lower: k.toLowerCase()}));
      add('user', 'included', json.included || []);
      add('user', 'excluded', json.excluded || []);
      for (const [list, contexts] of [['included', json.includedContexts || []], ['excluded', json.excludedContexts || []]]) {
        contexts.forEach(c => add(c.contextKind, list, c.values || []));
      }
      targets.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : a.list < b.list ? -1 : a.list > b.list ? 1 : a.kind < b.kind ? -1 : 1);
      this.targets = targets;
      this.kinds = [...new Set(targets.map(t => t.kind))].sort();
    },
    setSchedules(list) {
      this.schedules = new Map((list || []).map(item => [targetId(item.contextKind, item.targetType, item.contextKey),
        {id: item._id, version: item._version, date: item.expirationDate, kind: item.contextKind, list: item.targetType, key: item.contextKey}]));
    },
  };
  m.setSegment(segmentJson);
  m.setSchedules(items);
  return m;
}

function summaryCards(m) {
  const count = (list, user) => m.targets.filter(t => t.list === list && (t.kind === 'user') === user).length;
  const upcoming = [...m.schedules.values()].map(s => s.date).sort((a, b) => a - b);
  const card = (id, label, value, detail) => h('div', {className: 'card', id}, h('span', {className: 'card-value'}, value),
    h('span', {className: 'card-label'}, label), detail ? h('span', {className: 'card-detail'}, detail) : null);
  return [
    card('count-included', 'included users', count('included', true).toLocaleString()),
    card('count-excluded', 'excluded users', count('excluded', true).toLocaleString()),
    card('count-contexts', 'other contexts', (count('included', false) + count('excluded', false)).toLocaleString()),
    card('count-scheduled', 'scheduled removals', upcoming.length.toLocaleString(),
      upcoming.length ? 'next ' + relative(upcoming[0]) : null),
  ];
}
