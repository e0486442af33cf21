// A small GoogleSQL highlighter: a tokenizer that wraps tokens in <span>s built
// with textContent. Enough for reading; it does not need to be a parser.
// `tokens` is pure (tested with node --test); `highlight` builds the nodes.
import { h } from "./dom.js";

const KEYWORDS = new Set(`select from where group by order limit offset join left right inner outer full
cross on as and or not in is null case when then else end with union all distinct having desc asc
between like over partition qualify interval extract cast safe_cast true false using except intersect
window rows range unnest struct array date datetime timestamp time exists any some nulls first last
recursive lateral tablesample pivot unpivot current_date current_timestamp if ignore respect`.split(/\s+/));

const TOKEN = new RegExp([
  String.raw`(?<com>--[^\n]*|#[^\n]*|/\*[\s\S]*?(?:\*/|$))`,
  String.raw`(?<str>'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?)`,
  String.raw`(?<qid>\x60[^\x60]*\x60?)`,
  String.raw`(?<num>\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)`,
  String.raw`(?<word>[A-Za-z_][A-Za-z0-9_]*)`,
].join("|"), "gi");

// The SQL as [text, class] pairs, class null for text between tokens; joined,
// the texts give back the SQL exactly.
export function tokens(sql) {
  const out = [];
  let last = 0;
  for (const m of sql.matchAll(TOKEN)) {
    if (m.index > last) out.push([sql.slice(last, m.index), null]);
    const text = m[0];
    const g = m.groups;
    let cls = "id";
    if (g.com) cls = "com";
    else if (g.str) cls = "str";
    else if (g.qid) cls = "qid";
    else if (g.num) cls = "num";
    else if (KEYWORDS.has(text.toLowerCase())) cls = "kw";
    else if (/^\s*\(/.test(sql.slice(m.index + text.length))) cls = "fn";
    out.push([text, cls]);
    last = m.index + text.length;
  }
  if (last < sql.length) out.push([sql.slice(last), null]);
  return out;
}

export function highlight(sql) {
  const frag = document.createDocumentFragment();
  for (const [text, cls] of tokens(sql)) frag.append(cls ? h("span", { class: cls }, text) : text);
  return frag;
}
