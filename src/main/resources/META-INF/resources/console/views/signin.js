import {h, replace} from '../dom.js';
import {call} from '../api.js';
import * as session from '../session.js';

/**
 * The sign-in form. The token field has no name and the page's policy forbids form submission,
 * so the token can never end up in an address; it is kept only once the service accepted it.
 */
export function signIn(context, message, done) {
  const input = h('input', {type: 'password', id: 'token', autocomplete: 'off', spellcheck: false, placeholder: 'api-…', maxLength: 200,
    'aria-describedby': 'token-help'});
  const error = h('p', {className: 'error', id: 'sign-in-error', role: 'alert'});
  const button = h('button', {type: 'submit', className: 'primary', id: 'sign-in'}, 'Sign in');
  const form = h('form', {className: 'sign-in', on: {submit: submit}},
    h('h1', {}, 'Sign in'),
    message ? h('p', {className: 'notice', id: 'notice'}, message) : null,
    h('label', {htmlFor: 'token'}, 'Access token'),
    input,
    h('p', {className: 'help', id: 'token-help'},
      'Paste an access token of this service (POST /api/v2/tokens makes one; ./run-local.sh prints the admin token). ',
      'It stays in this browser tab only, and is forgotten when you sign out or close the tab. A reader token can look; a writer or admin token can also change schedules.'),
    button, error);
  replace(context.view, form);
  input.focus();

  async function submit(event) {
    event.preventDefault();
    const secret = input.value.trim();
    if (!secret) {
      replace(error, 'Paste an access token first.');
      return;
    }
    button.disabled = true;
    replace(error);
    try {
      const who = await call('/api/v2/caller-identity', {secret});
      input.value = '';
      session.remember(secret, who);
      done();
    } catch (e) {
      replace(error, e.status === 401 ? 'The service does not accept this token: ' + e.message : e.message);
      button.disabled = false;
    }
  }
}
