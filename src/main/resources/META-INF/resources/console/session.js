// The access token lives in this tab's sessionStorage only: never in a URL, a cookie or a log.
// Closing the tab or signing out forgets it.

const TOKEN = 'segment-targets.token';
let identity = null;

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function signedIn() {
  return token() !== null;
}

/** Keeps a token that the service accepted, with who it is (getCallerIdentity). */
export function remember(secret, who) {
  sessionStorage.setItem(TOKEN, secret);
  identity = who;
}

export function forget() {
  sessionStorage.removeItem(TOKEN);
  identity = null;
}

export function knownIdentity() {
  return identity;
}

export function setIdentity(who) {
  identity = who;
}

/** The token's role, which getCallerIdentity gives in scopes: reader, writer or admin. */
export function role(who = identity) {
  const scopes = who && Array.isArray(who.scopes) ? who.scopes : [];
  return ['admin', 'writer', 'reader'].find(r => scopes.includes(r)) || 'reader';
}

export function mayWrite(who = identity) {
  return role(who) !== 'reader';
}
