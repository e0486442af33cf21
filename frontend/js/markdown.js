// A tiny, safe renderer for the model's answer text: paragraphs, bullet lists,
// **bold** and `code`. It builds nodes from text; it never parses HTML.
// `blocks` is pure (tested with node --test); `renderText` builds the nodes.
import { h } from "./dom.js";

const INLINE = /(\*\*[^*]+\*\*|`[^`]+`)/g;
const BULLET = /^\s*([-*•]|\d+\.)\s+/;

// One line as parts: plain strings, {strong: text} and {code: text}.
export function inline(text) {
  return text.split(INLINE).filter(Boolean).map((part) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return { strong: part.slice(2, -2) };
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return { code: part.slice(1, -1) };
    return part;
  });
}

// The text as blocks: {list: [line parts, ...]} or {paragraph: [line parts, ...]}.
export function blocks(text) {
  return String(text || "").trim().split(/\n\s*\n/).map((block) => {
    const lines = block.split("\n");
    if (lines.every((l) => BULLET.test(l))) return { list: lines.map((l) => inline(l.replace(BULLET, ""))) };
    return { paragraph: lines.map(inline) };
  });
}

function node(part) {
  if (typeof part === "string") return document.createTextNode(part);
  return part.strong !== undefined ? h("strong", {}, part.strong) : h("code", {}, part.code);
}

export function renderText(text) {
  const root = document.createDocumentFragment();
  for (const block of blocks(text)) {
    if (block.list) {
      root.append(h("ul", {}, block.list.map((parts) => h("li", {}, parts.map(node)))));
    } else {
      const p = h("p");
      block.paragraph.forEach((parts, i) => {
        if (i) p.append(h("br"));
        p.append(...parts.map(node));
      });
      root.append(p);
    }
  }
  return root;
}
