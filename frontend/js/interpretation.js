// How the question was read, shown above the numbers so a misreading is
// caught before the number is trusted: one line (the reading), expandable to
// its parts (measure and definition, filters, grouping, time window, order,
// tables joined, business rules, words not used).
import { h } from "./dom.js";

const PARTS = [
  ["filters", "Filters"],
  ["grouping", "Grouped by"],
  ["time_window", "Time window"],
  ["ordering", "Order"],
  ["joins", "Tables joined"],
  ["rules", "Rules applied"],
  ["unused_words", "Words not used"],
];

/** The rows of the expanded reading: [label, text] pairs, empty parts left out. */
export function readingRows(interpretation) {
  const it = interpretation || {};
  const rows = [];
  if (it.measure) {
    rows.push(["Measure", it.definition ? `${it.measure} = ${it.definition}` : it.measure]);
  }
  for (const [key, label] of PARTS) {
    const value = it[key];
    const text = Array.isArray(value) ? value.join("; ") : value;
    if (text) rows.push([label, text]);
  }
  return rows;
}

export function interpretationBlock(answer) {
  const it = answer.interpretation;
  if (!it || answer.answered === false) return null;
  const rows = readingRows(it);
  const summary = it.summary || (rows.length ? rows.map((r) => r[1]).join(", ") : "");
  if (!summary) return null;
  return h("details", { class: "reading" },
    h("summary", {}, h("span", { class: "reading-label" }, "Read as"), " ", summary),
    rows.length
      ? h("dl", {}, rows.flatMap(([label, text]) => [h("dt", {}, label), h("dd", {}, text)]))
      : null,
    answer.sql ? h("p", { class: "reading-sql" }, "The SQL that ran is below.") : null);
}
