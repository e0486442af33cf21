// The results table: sortable columns, pages of rows, numbers formatted and
// right-aligned. Sorting is client-side over the rows the answer carries.
import { clear, h } from "./dom.js";
import { formatNumber, isNumber, twoDecimals } from "./format.js";

const PAGE_SIZE = 10;

function compare(a, b) {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (isNumber(a) && isNumber(b)) return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function cellText(value, column, fixed = false) {
  if (value === null || value === undefined) return null;
  if (isNumber(value)) return formatNumber(value, column, { fixed });
  if (typeof value === "object") return JSON.stringify(value);
  const text = String(value);
  // ISO timestamps read better without the "T" (and without a midnight time).
  if (/^\d{4}-\d{2}-\d{2}T00:00:00$/.test(text)) return text.slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return text.replace("T", " ");
  return text;
}

// `partial`: the number of rows shown when the result was cut off, so sorting
// says it orders those rows only (the CSV has the rest).
export function resultTable(columns, rows, { caption = "Query results", partial = null } = {}) {
  const numeric = columns.map((_, i) => {
    const present = rows.map((r) => r[i]).filter((v) => v !== null && v !== undefined);
    return present.length > 0 && present.every(isNumber);
  });
  const fixed = columns.map((_, i) => numeric[i] && twoDecimals(rows.map((r) => r[i])));
  const state = { sortBy: null, dir: 1, page: 0 };
  const thead = h("thead");
  const tbody = h("tbody");
  const status = h("span", { class: "pager-status", "aria-live": "polite" });
  const prev = h("button", { type: "button", class: "btn btn-secondary btn-small" }, "Previous");
  const next = h("button", { type: "button", class: "btn btn-secondary btn-small" }, "Next");
  const pager = h("div", { class: "pager" }, status, h("div", { class: "pager-buttons" }, prev, next));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));

  function sorted() {
    if (state.sortBy === null) return rows;
    const i = state.sortBy;
    return [...rows].sort((a, b) => state.dir * compare(a[i], b[i]));
  }

  function renderHead() {
    clear(thead);
    thead.append(h("tr", {}, columns.map((name, i) => {
      const sort = state.sortBy === i ? (state.dir > 0 ? "ascending" : "descending") : "none";
      const icon = sort === "ascending" ? "▲" : sort === "descending" ? "▼" : "↕";
      return h("th", { scope: "col", class: numeric[i] ? "num" : null, "aria-sort": sort },
        h("button", {
          type: "button",
          title: partial ? `Sort the ${formatNumber(partial)} rows shown by ${name}` : `Sort by ${name}`,
          onclick: () => {
            state.dir = state.sortBy === i ? -state.dir : numeric[i] ? -1 : 1;
            state.sortBy = i;
            state.page = 0;
            render();
            // The header was redrawn: keep keyboard focus on the button just used.
            thead.querySelectorAll("th button")[i].focus();
          },
        }, h("span", {}, name), h("span", { class: "sort-icon", "aria-hidden": "true" }, icon)));
    })));
  }

  function renderBody() {
    clear(tbody);
    const start = state.page * PAGE_SIZE;
    for (const row of sorted().slice(start, start + PAGE_SIZE)) {
      tbody.append(h("tr", {}, row.map((value, i) => {
        const text = cellText(value, columns[i], fixed[i]);
        return h("td", { class: [numeric[i] ? "num" : "", text === null ? "null" : ""].join(" ").trim() || null,
          title: text && text.length > 40 ? text : null }, text === null ? "—" : text);
      })));
    }
    const end = Math.min(start + PAGE_SIZE, rows.length);
    status.textContent = rows.length
      ? `Rows ${formatNumber(start + 1)}–${formatNumber(end)} of ${formatNumber(rows.length)}`
      : "No rows";
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    pager.hidden = rows.length <= PAGE_SIZE;
  }

  function render() { renderHead(); renderBody(); }

  // A button disabled under the keyboard drops focus to <body>; hand it to the
  // other pager button, which is the way back.
  function turn(delta, used, other) {
    state.page = Math.min(pages - 1, Math.max(0, state.page + delta));
    renderBody();
    if (used.disabled && document.activeElement !== other) other.focus();
  }
  prev.addEventListener("click", () => turn(-1, prev, next));
  next.addEventListener("click", () => turn(1, next, prev));
  render();
  const table = h("table", { class: "results" }, h("caption", { class: "visually-hidden" }, caption), thead, tbody);
  return h("div", { class: "table-block" },
    h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption }, table),
    pager);
}
