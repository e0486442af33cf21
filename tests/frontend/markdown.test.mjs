// The answer text renderer's structure: paragraphs, lists, bold and code,
// with everything else kept as plain text (never markup).
import assert from "node:assert/strict";
import { test } from "node:test";

import { blocks, inline } from "../../frontend/js/markdown.js";

test("bold and code inside a line", () => {
  assert.deepEqual(inline("There are **1,200** orders in `shop.orders`."),
    ["There are ", { strong: "1,200" }, " orders in ", { code: "shop.orders" }, "."]);
});

test("markers without content stay text", () => {
  assert.deepEqual(inline("a ** b `` c"), ["a ** b `` c"]);
});

test("paragraphs and bullet lists", () => {
  assert.deepEqual(blocks("First line\nsecond line\n\n- one\n* two\n3. three"), [
    { paragraph: [["First line"], ["second line"]] },
    { list: [["one"], ["two"], ["three"]] },
  ]);
});

test("a block that is only partly bullets is a paragraph", () => {
  assert.deepEqual(blocks("- one\nnot a bullet"), [{ paragraph: [["- one"], ["not a bullet"]] }]);
});

test("HTML in the text is text", () => {
  assert.deepEqual(blocks("<img src=x onerror=alert(1)>"), [{ paragraph: [["<img src=x onerror=alert(1)>"]] }]);
});

test("no text is one empty paragraph", () => {
  assert.deepEqual(blocks(""), [{ paragraph: [[]] }]);
  assert.deepEqual(blocks(null), [{ paragraph: [[]] }]);
});
