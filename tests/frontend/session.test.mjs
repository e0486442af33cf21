// The page's session state, without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Session, conversationInHash, hashFor, questionsInSearch } from "../../frontend/js/session.js";

const ID = "0123456789abcdef01234567";

test("the URL keeps the conversation and carries questions", () => {
  assert.equal(conversationInHash(`#c=${ID}`), ID);
  assert.equal(conversationInHash("#c=not-an-id"), null);
  assert.equal(conversationInHash(""), null);
  assert.equal(hashFor(ID), `#c=${ID}`);
  assert.equal(hashFor(null), "");
  assert.deepEqual(questionsInSearch("?q=How%20many%3F&q=and%20by%20year%3F"), ["How many?", "and by year?"]);
  assert.deepEqual(questionsInSearch(""), []);
});

test("one question at a time; a new conversation aborts the one in flight", () => {
  const seen = [];
  const session = new Session({ onConversation: (id) => seen.push(id) });
  const first = session.begin();
  assert.ok(first);
  assert.equal(session.begin(), null);
  session.setConversation(ID);
  session.reset();
  assert.ok(first.signal.aborted);
  assert.equal(session.conversationId, null);
  assert.deepEqual(seen, [ID, null]);
  session.end(first);
  assert.equal(session.busy, false);
  assert.ok(session.begin());
});

test("an old question ending does not take a newer one's controller", () => {
  const session = new Session();
  const old = session.begin();
  session.end(old);
  const current = session.begin();
  session.end(old);
  assert.equal(session.controller, current);
});

test("what waits for a token is taken once", () => {
  const session = new Session();
  session.waitForToken({ conversationId: ID });
  session.waitForToken({ questions: ["q1"] }); // a question asked meanwhile keeps the load
  assert.deepEqual(session.takeWaiting(), { conversationId: ID, questions: ["q1"] });
  assert.deepEqual(session.takeWaiting(), { conversationId: null, questions: [] });
});
