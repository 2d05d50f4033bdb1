// Calls the service's API (the one LaunchDarkly's clients use) with the session's token.
import {token} from './session.js';

export const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/;

/** An answer other than 2xx: the service's {code, message}, or what the network said. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};

/** What to do when the token stops working (deleted, or never valid): the app signs out. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** A project, environment or segment key from the address bar, checked before it goes into a path. */
export function key(value) {
  if (!KEY.test(value)) {
    throw new ApiError(400, 'invalid_request', 'This address does not name a project, environment or segment.');
  }
  return encodeURIComponent(value);
}

/** A path with query parameters, which are encoded; absent ones are left out. */
export function withQuery(path, query) {
  const parts = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v));
  return parts.length ? path + '?' + parts.join('&') : path;
}

/** Only paths of this API are followed, as the _links of its answers give them. */
function checkedPath(path) {
  if (typeof path !== 'string' || !path.startsWith('/api/v2/') || path.startsWith('//')) {
    throw new ApiError(0, 'invalid_link', 'The service answered with a link outside its API.');
  }
  return path;
}

export async function call(path, {method = 'GET', body, contentType = 'application/json', secret = token()} = {}) {
  const headers = {Accept: 'application/json'};
  if (secret) {
    headers.Authorization = secret;
  }
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
  }
  let response;
  try {
    response = await fetch(checkedPath(path), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw e instanceof ApiError ? e : new ApiError(0, 'network', 'The service could not be reached. If you changed something, reload to see whether it took effect.');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const message = json && typeof json.message === 'string' ? json.message : 'The service answered ' + response.status + '.';
    const error = new ApiError(response.status, json && json.code, message);
    if (response.status === 401 && secret === token()) {
      onUnauthorized(error);
    }
    throw error;
  }
  return json;
}

export const get = (path, options) => call(path, options);
