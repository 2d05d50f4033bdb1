// The console: a hash-routed page over the service's own API. Routes carry project,
// environment and segment keys, never a token.
import {h, replace} from './dom.js';
import * as session from './session.js';
import {call, whenUnauthorized} from './api.js';
import {signIn} from './views/signin.js';
import {projects} from './views/projects.js';
import {environments} from './views/environments.js';
import {segments} from './views/segments.js';
import {segment} from './views/segment.js';

const view = document.getElementById('view');
const crumbs = document.getElementById('crumbs');
const who = document.getElementById('who');
let rendering = 0;
let notice = null;

/** The route in the address bar: its path segments (decoded) and its query. */
function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?', 2);
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch (e) {
    parts = ['not-found'];
  }
  return {parts, query: new URLSearchParams(search || '')};
}

function navigate(path, query) {
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v !== undefined && v !== null)).toString() : '';
  const target = '#' + path + (search ? '?' + search : '');
  if (location.hash === target) {
    render();
  } else {
    location.hash = target;
  }
}

/** Replaces the query of the current route without a new history entry or a new render. */
function setQuery(query) {
  const {parts} = route();
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v !== undefined && v !== null)).toString();
  history.replaceState(null, '', '#/' + parts.map(encodeURIComponent).join('/') + (search ? '?' + search : ''));
}

function header() {
  const identity = session.knownIdentity();
  if (!session.signedIn() || !identity) {
    replace(who);
    return;
  }
  replace(who,
    h('span', {className: 'identity'}, 'Signed in as ', h('bdi', {className: 'token-name'}, identity.tokenName || identity.tokenId || 'a token'),
      ' ', h('span', {className: 'role role-' + session.role(identity)}, session.role(identity))),
    h('button', {type: 'button', className: 'link', id: 'sign-out', on: {click: signOut}}, 'Sign out'));
}

function signOut() {
  session.forget();
  notice = 'Signed out. The token is no longer kept in this browser.';
  navigate('/');
}

whenUnauthorized(error => {
  session.forget();
  notice = error.message + ' Sign in again.';
  render();
});

function breadcrumbs(items) {
  replace(crumbs, items.map((item, i) => [
    i > 0 ? h('span', {className: 'sep', 'aria-hidden': 'true'}, '/') : null,
    item.route ? h('a', {route: item.route}, item.label) : h('span', {'aria-current': 'page'}, item.label),
  ]));
}

async function render() {
  const current = ++rendering;
  const {parts, query} = route();
  const context = {
    view, query, navigate, setQuery, crumbs: breadcrumbs,
    isCurrent: () => current === rendering,
  };
  if (!session.signedIn()) {
    breadcrumbs([]);
    header();
    const message = notice;
    notice = null;
    signIn(context, message, () => render());
    return;
  }
  if (!session.knownIdentity()) {
    try {
      session.setIdentity(await call('/api/v2/caller-identity'));
    } catch (e) {
      if (current === rendering && session.signedIn()) {
        replace(view, h('p', {className: 'error'}, e.message));
      }
      return;
    }
    if (current !== rendering) {
      return;
    }
  }
  header();
  const [first, project, second, environment, third, segmentKey, ...rest] = parts;
  if (parts.length === 0) {
    projects(context);
  } else if (first === 'projects' && parts.length === 2) {
    environments(context, project);
  } else if (first === 'projects' && second === 'environments' && parts.length === 4) {
    segments(context, project, environment);
  } else if (first === 'projects' && second === 'environments' && third === 'segments' && parts.length >= 6
      && (rest.length === 0 || (rest.length === 1 && rest[0] === 'audit'))) {
    segment(context, project, environment, segmentKey, rest[0] || 'targets');
  } else {
    breadcrumbs([{label: 'Projects', route: '/'}]);
    replace(view, h('p', {className: 'error'}, 'There is no such page in the console.'), h('p', {}, h('a', {route: '/'}, 'See the projects')));
  }
}

window.addEventListener('hashchange', () => render());
render();
