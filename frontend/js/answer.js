// One answer, rendered: text, chart, table, SQL, steps and the CSV link.
// It looks up nothing on the page: what it needs from it comes in `page`
// (the width to draw the chart at, and how to tell screen readers).
import { getBlob, token } from "./api.js";
import { h } from "./dom.js";
import { feedbackBlock } from "./feedback.js";
import { formatBytes, formatNumber, formatSeconds, plural } from "./format.js";
import { interpretationBlock } from "./interpretation.js";
import { renderText } from "./markdown.js";
import { highlight } from "./sql.js";
import { resultTable } from "./table.js";

export function stepLabel(name, args = {}) {
  switch (name) {
    case "list_datasets": return "Listing the datasets";
    case "list_tables": return `Listing the tables of ${args.dataset_id || "a dataset"}`;
    case "get_table": return `Reading the schema of ${args.table_id || "a table"}`;
    case "sql_query": return "Running a query";
    case "search_verified_queries": return "Looking for verified queries";
    default: return name;
  }
}

function chartBlock(answer, page) {
  const chart = answer.chart;
  if (!chart) return null;
  if (chart.kind === "number") {
    return h("figure", { class: "chart big-number", "aria-label": `${chart.label}: ${chart.value}` },
      h("span", { class: "value" }, formatNumber(chart.value, chart.label || "")),
      h("figcaption", { class: "label" }, chart.label || ""));
  }
  const x = chart.spec?.encoding?.x?.title;
  const y = chart.spec?.encoding?.y?.title;
  const alt = chart.kind === "bar" ? `Bar chart of ${x} by ${y}` : `Line chart of ${y} over ${x}`;
  // Drawn server-side at the width of the answer column, so labels stay readable on a phone.
  const width = Math.max(260, Math.min(960, page.chartWidth() - 42));
  const img = h("img", { alt, width });
  const figure = h("figure", { class: `chart chart-${chart.kind}` }, img);
  // Fetched (not a plain src) so a bearer token can be sent; shown from a blob: URL.
  getBlob(`/api/answers/${encodeURIComponent(answer.answer_id)}/chart.svg?width=${width}`)
    .then((blob) => { img.src = URL.createObjectURL(blob); })
    .catch(() => figure.replaceWith(h("p", { class: "notice" }, "The chart could not be drawn.")));
  return figure;
}

function sqlBlock(sql, page) {
  const copy = h("button", { type: "button", class: "btn btn-small", "aria-label": "Copy SQL" }, "Copy");
  copy.addEventListener("click", async () => {
    // The page's status region tells screen readers, whose focus stays on
    // the button's unchanged label, what the visible text change says.
    try {
      await navigator.clipboard.writeText(sql);
      copy.textContent = "Copied";
      page.announce("SQL copied to the clipboard");
    } catch {
      copy.textContent = "Select and copy";
      page.announce("Could not copy: select the SQL and copy it");
    }
    setTimeout(() => { copy.textContent = "Copy"; }, 1800);
  });
  return h("section", { class: "sql-block", "aria-label": "SQL" },
    h("div", { class: "sql-head" }, h("span", {}, "SQL"), copy),
    h("pre", { class: "sql" }, h("code", {}, highlight(sql))));
}

function argsText(step) {
  const args = step.args || {};
  const keys = Object.keys(args);
  if (!keys.length) return "";
  // A query reads best as SQL, not as an escaped JSON string.
  if (keys.length === 1 && typeof args.query === "string") return args.query;
  return JSON.stringify(args);
}

function stepsBlock(answer) {
  const steps = answer.steps || [];
  if (!steps.length) return null;
  const total = answer.timings?.total_s ?? answer.seconds;
  return h("details", { class: "steps" },
    h("summary", {}, `${plural(steps.length, "step")} the model took · ${formatSeconds(total)}`),
    h("ol", {}, steps.map((s) => h("li", {},
      h("span", { class: "step-name" }, s.name), " ",
      h("span", { class: "step-time" }, `${s.ok ? "ok" : "failed"} · ${formatSeconds(s.seconds)}`),
      argsText(s) ? h("code", { class: "step-args" }, argsText(s)) : null,
      s.error ? h("span", { class: "step-error" }, s.error) : null))));
}

function csvLink(answer) {
  const href = `/api/answers/${encodeURIComponent(answer.answer_id)}.csv`;
  const link = h("a", { class: "btn btn-secondary btn-small csv-link", href, download: `answer-${answer.answer_id}.csv` },
    "Download CSV");
  link.addEventListener("click", async (event) => {
    if (!token()) return; // a plain link streams straight to disk
    event.preventDefault();
    link.parentElement.querySelector(".csv-error")?.remove();
    let blob;
    try {
      blob = await getBlob(href);
    } catch (e) {
      // Say so next to the link; an unhandled rejection would only reach the console.
      link.before(h("span", { class: "notice csv-error", role: "alert" }, `The CSV could not be made: ${e.message}`));
      return;
    }
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `answer-${answer.answer_id}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return link;
}

function truncatedText(answer) {
  const shown = formatNumber(answer.rows.length);
  const of = answer.total_rows > answer.rows.length ? ` of ${formatNumber(answer.total_rows)}` : "";
  return `Showing the first ${shown}${of} rows; the chart and sorting cover only these. ` +
    "The CSV has the full result.";
}

const NO_PAGE = { chartWidth: () => 680, announce: () => {} };

export function answerCard(answer, page = NO_PAGE) {
  const hasRows = (answer.columns || []).length > 0;
  const meta = [
    hasRows ? plural(answer.row_count ?? answer.rows.length, "row") : null,
    answer.model ? `model ${answer.model}` : null,
    formatSeconds(answer.timings?.total_s ?? answer.seconds),
    answer.bytes_processed ? `${formatBytes(answer.bytes_processed)} processed` : null,
  ].filter(Boolean);
  return h("article", { class: `card answer${answer.answered === false ? " unanswered" : ""}`, "aria-label": "Answer" },
    h("div", { class: "answer-text" }, renderText(answer.answer)),
    interpretationBlock(answer),
    chartBlock(answer, page),
    answer.truncated ? h("p", { class: "notice truncated-notice" }, truncatedText(answer)) : null,
    // A single number is already shown big; a one-cell table would only repeat it.
    hasRows && answer.chart?.kind !== "number"
      ? resultTable(answer.columns, answer.rows, {
        caption: `Results for: ${answer.question}`,
        partial: answer.truncated ? answer.rows.length : null,
      })
      : null,
    answer.sql ? sqlBlock(answer.sql, page) : null,
    stepsBlock(answer),
    h("footer", { class: "answer-footer" },
      h("div", { class: "meta" }, meta.map((m) => h("span", {}, m))),
      answer.sql ? csvLink(answer) : null),
    feedbackBlock(answer));
}
