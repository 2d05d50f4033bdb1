import {h, replace} from '../dom.js';
import {call, key} from '../api.js';

/**
 * What a page asked the API for, once it arrives: null when the request failed (its message
 * then shows in {@code where}) or when the viewer has moved on to another page meanwhile.
 * {@code request} is a function, so that a key that cannot name anything fails the same way.
 */
export async function answer(context, request, where = context.view) {
  let result;
  try {
    result = await request();
  } catch (e) {
    if (context.isCurrent()) {
      replace(where, h(where === context.view ? 'p' : 'span', {className: 'error'}, e.message));
    }
    return null;
  }
  return context.isCurrent() ? result : null;
}

/** A project, read for its name and its environments' names. */
export function project(projectKey) {
  return call('/api/v2/projects/' + key(projectKey));
}

/** The environment of a project read with {@link project}, if it has one by that key. */
export function environmentOf(projectJson, environmentKey) {
  return (projectJson.environments && projectJson.environments.items || []).find(e => e.key === environmentKey);
}
