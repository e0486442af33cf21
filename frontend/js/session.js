// The page's session: which conversation the next question continues, whether
// a question is in flight (and how to abort it), and what waits for a token.
// No DOM here: the views (app.js) render it and are told when the
// conversation changes. The URL helpers are pure, for node --test.

const CONVERSATION_HASH = /^#c=([0-9a-f]{24})$/;

/** The conversation id a URL hash names (`#c=<id>`), or null. */
export function conversationInHash(hash) {
  const match = CONVERSATION_HASH.exec(hash || "");
  return match ? match[1] : null;
}

/** The hash that keeps a conversation across a reload ("" for none). */
export function hashFor(conversationId) {
  return conversationId ? `#c=${conversationId}` : "";
}

/** The questions a link asks (`?q=...`, several as one conversation, in turn). */
export function questionsInSearch(search) {
  return new URLSearchParams(search || "").getAll("q");
}

export class Session {
  /** `onConversation(id)` is called whenever the conversation changes. */
  constructor({ onConversation = () => {} } = {}) {
    this.conversationId = null;
    this.busy = false;
    this.controller = null; // aborts the question in flight when a new conversation starts
    this.waiting = { conversationId: null, questions: [] }; // to load and ask once a token is given
    this.onConversation = onConversation;
  }

  setConversation(id) {
    this.conversationId = id;
    this.onConversation(id);
  }

  /** A new conversation: an answer still on its way belongs to the old one. */
  reset() {
    if (this.controller) this.controller.abort();
    this.setConversation(null);
  }

  /** Start a question: its AbortController, or null when one is already in flight. */
  begin() {
    if (this.busy) return null;
    this.busy = true;
    this.controller = new AbortController();
    return this.controller;
  }

  end(controller) {
    if (this.controller === controller) this.controller = null;
    this.busy = false;
  }

  /** Remember what to do once the token is given: a conversation to load, questions
   *  to ask (each replaces what waited of its kind; what is not given stays). */
  waitForToken({ conversationId, questions } = {}) {
    if (conversationId !== undefined) this.waiting.conversationId = conversationId;
    if (questions !== undefined) this.waiting.questions = questions;
  }

  /** What waited for the token, now that it is here; nothing waits any more. */
  takeWaiting() {
    const waiting = this.waiting;
    this.waiting = { conversationId: null, questions: [] };
    return waiting;
  }
}
