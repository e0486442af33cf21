// The page's number, size and time formatting, against the cases the server's
// formatter (nl2sql/presentation/numbers.py) must also pass.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { formatBytes, formatNumber, formatSeconds, plural, twoDecimals } from "../../frontend/js/format.js";

const CASES = JSON.parse(readFileSync(new URL("../presentation/format_cases.json", import.meta.url), "utf8"));

test("numbers read as on the server", () => {
  for (const [value, column, fixed, expected] of CASES.number) {
    assert.equal(formatNumber(value, column, { fixed }), expected, `${value} ${column} ${fixed}`);
  }
});

test("columns of amounts get two decimals", () => {
  for (const [values, expected] of CASES.two_decimals) {
    assert.equal(twoDecimals(values), expected, JSON.stringify(values));
  }
});

test("sizes and durations", () => {
  for (const [n, expected] of CASES.bytes) assert.equal(formatBytes(n), expected);
  for (const [s, expected] of CASES.seconds) assert.equal(formatSeconds(s), expected);
});

test("plurals count with separators", () => {
  assert.equal(plural(1, "row"), "1 row");
  assert.equal(plural(1200, "row"), "1,200 rows");
  assert.equal(plural(2, "query", "queries"), "2 queries");
});

test("what is not a number is shown as it is", () => {
  assert.equal(formatNumber("n/a"), "n/a");
  assert.equal(formatBytes(null), "");
  assert.equal(formatSeconds(undefined), "");
});
