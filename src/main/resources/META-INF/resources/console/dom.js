// Builds the page from elements and text nodes only. Nothing here parses markup: every key,
// name, comment and message reaches the page as text, whatever characters it holds.

const PROPERTIES = new Set(['className', 'type', 'value', 'disabled', 'checked', 'placeholder', 'min', 'max', 'step',
  'maxLength', 'autocomplete', 'spellcheck', 'title', 'id', 'htmlFor', 'name', 'rows', 'selected', 'hidden', 'tabIndex']);
const ATTRIBUTES = /^(aria-[a-z]+|data-[a-z-]+|role|scope|colspan|lang|dir)$/;

/**
 * h('button', {className: 'primary', on: {click}}, 'Apply') makes an element. Only known
 * properties and aria-, data- and a few plain attributes are set; links take a route, never a URL.
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) {
      continue;
    }
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) {
        element.addEventListener(event, handler);
      }
    } else if (name === 'route') {
      element.setAttribute('href', '#' + value);
    } else if (PROPERTIES.has(name)) {
      element[name] = value;
    } else if (ATTRIBUTES.test(name)) {
      element.setAttribute(name, String(value));
    } else {
      throw new Error('dom.h: unsupported property ' + name);
    }
  }
  append(element, children);
  return element;
}

/** Appends strings as text nodes, elements as they are; skips null, undefined and false; flattens arrays. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(parent, child);
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }
  return parent;
}

/** Replaces an element's content. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

// Characters that do not show as themselves: C0 and C1 controls, and format characters such as
// right-to-left marks, bidi overrides and zero-width joiners, which can make one key look like another.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/u;

/** The key with every hidden character written as \u{…}, to show beside it. */
export function visibleForm(text) {
  let out = '';
  for (const ch of text) {
    out += HIDDEN.test(ch) ? '\\u{' + ch.codePointAt(0).toString(16).toUpperCase() + '}' : ch;
  }
  return out;
}

/**
 * A target or resource key as text, isolated from the text around it (a right-to-left key cannot
 * reorder its neighbours), with a warning that spells out any characters that would not show.
 */
export function keyText(key, className) {
  const text = h('bdi', {className: 'key' + (className ? ' ' + className : '')}, key);
  if (!HIDDEN.test(key)) {
    return text;
  }
  return h('span', {className: 'key-with-hidden'}, text,
    h('span', {className: 'hidden-chars', title: 'This key holds characters that do not show: ' + visibleForm(key)},
      'hidden characters: ', h('bdi', {className: 'visible-form'}, visibleForm(key))));
}
