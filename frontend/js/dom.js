// Building DOM safely: every string becomes a text node or an attribute value,
// never markup. Model and warehouse text is untrusted; nothing here parses HTML.

/**
 * h("a", {href: "/x", class: "btn", onclick: fn}, "text", childNode, [more])
 * Attribute values go through setAttribute (or a property for on* handlers);
 * children may be strings, numbers, nodes, arrays or null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "hidden" || key === "disabled" || key === "open") {
      el[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}
