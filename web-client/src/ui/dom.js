// Small DOM builders: elements are made with textContent and properties, never from HTML
// strings, so names and chat lines from other people cannot inject markup.

/** The element with this id; throws when the page lacks it (a broken page should say so at once). */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * Makes an element. `props`: attributes (strings), `dataset` (object), `on` (event -> handler),
 * `text` (textContent); children: nodes or strings.
 */
export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else if (key === 'text') element.textContent = value;
    else if (key === 'className') element.className = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** Shows or hides an element and its subtree for every user, assistive technology included. */
export function show(element, visible) { element.hidden = !visible; }
