// The SQL highlighter's tokenizer: classes per token, and nothing lost.
import assert from "node:assert/strict";
import { test } from "node:test";

import { tokens } from "../../frontend/js/sql.js";

const classes = (sql) => tokens(sql).filter(([, cls]) => cls).map(([text, cls]) => `${cls}:${text}`);

test("keywords, functions, names, numbers and strings", () => {
  assert.deepEqual(classes("SELECT COUNT(*) AS n FROM shop.orders WHERE status = 'Complete' LIMIT 10"), [
    "kw:SELECT", "fn:COUNT", "kw:AS", "id:n", "kw:FROM", "id:shop", "id:orders", "kw:WHERE",
    "id:status", "str:'Complete'", "kw:LIMIT", "num:10",
  ]);
});

test("comments and quoted names are single tokens", () => {
  assert.deepEqual(classes("-- total\nSELECT `my table`.x /* note */"), [
    "com:-- total", "kw:SELECT", "qid:`my table`", "id:x", "com:/* note */",
  ]);
});

test("an unterminated string or comment runs to the end", () => {
  assert.deepEqual(classes("SELECT 'abc"), ["kw:SELECT", "str:'abc"]);
  assert.deepEqual(classes("SELECT 1 /* open"), ["kw:SELECT", "num:1", "com:/* open"]);
});

test("joining the tokens gives back the SQL exactly", () => {
  for (const sql of ["SELECT a,b\n  FROM t  -- x\n", "  WITH x AS (SELECT 1) SELECT * FROM x;", ""]) {
    assert.equal(tokens(sql).map(([text]) => text).join(""), sql);
  }
});
