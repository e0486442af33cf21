// A tiny, safe renderer for the model's answer text: paragraphs, bullet lists,
// **bold** and `code`. It builds nodes from text; it never parses HTML.
import { h } from "./dom.js";

const INLINE = /(\*\*[^*]+\*\*|`[^`]+`)/g;

function inline(text) {
  return text.split(INLINE).filter(Boolean).map((part) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) {
      return h("strong", {}, part.slice(2, -2));
    }
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) {
      return h("code", {}, part.slice(1, -1));
    }
    return part;
  });
}

export function renderText(text) {
  const root = document.createDocumentFragment();
  const blocks = String(text || "").trim().split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split("\n");
    if (lines.every((l) => /^\s*([-*•]|\d+\.)\s+/.test(l))) {
      root.append(h("ul", {}, lines.map((l) => h("li", {}, inline(l.replace(/^\s*([-*•]|\d+\.)\s+/, ""))))));
    } else {
      const p = h("p");
      lines.forEach((line, i) => {
        if (i) p.append(h("br"));
        p.append(...inline(line).map((n) => (typeof n === "string" ? document.createTextNode(n) : n)));
      });
      root.append(p);
    }
  }
  return root;
}
