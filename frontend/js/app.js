// The page's views and wiring: the question box, the conversation, progress
// while the model works. What the session is (which conversation, what is in
// flight, what waits for a token) lives in session.js.
import { answerCard, stepLabel } from "./answer.js";
import { ApiError, getJSON, setToken, streamAsk, token } from "./api.js";
import { clear, h } from "./dom.js";
import { plural } from "./format.js";
import { Session, conversationInHash, hashFor, questionsInSearch } from "./session.js";

const $ = (id) => document.getElementById(id);

// -- the conversation, shown (and kept in the URL hash so a reload keeps the thread)

function showConversation(id) {
  $("new-conversation").hidden = !id;
  $("conversation-status").textContent = id ? "· follow-up questions continue this conversation" : "";
  $("question").placeholder = id
    ? "Ask a follow-up question…"
    : "Ask a question about the data…";
  const hash = hashFor(id);
  if (location.hash !== hash) history.replaceState(null, "", `${location.pathname}${hash}`);
}

const session = new Session({ onConversation: showConversation });

// What an answer card needs from the page: the width its chart is drawn at,
// and the status region that tells screen readers what changed.
const cardContext = {
  chartWidth: () => $("thread")?.clientWidth || 680,
  announce: (text) => { $("announcer").textContent = text; },
};

function newConversation() {
  // An answer still on its way belongs to the old conversation: it must not
  // land in (or continue) the new one.
  session.reset();
  clear($("thread"));
  $("intro").hidden = false;
  $("question").value = "";
  $("question").focus();
}

// -- rendering ----------------------------------------------------------------

function turnElement(question) {
  const li = h("li", { class: "turn" }, h("div", { class: "question-bubble" }, question));
  $("thread").append(li);
  $("intro").hidden = true;
  return li;
}

function progressCard() {
  const title = h("span", {}, "Thinking…");
  const steps = h("ol", { class: "progress-steps" });
  // The answer's words as the model writes them (answer_delta events); the full
  // answer card replaces the whole progress card when it arrives.
  const draft = h("p", { class: "answer-draft", hidden: true });
  const card = h("article", { class: "card progress", "aria-live": "polite", "aria-busy": "true" },
    h("div", { class: "progress-title" }, h("span", { class: "spinner", "aria-hidden": "true" }), title),
    steps, draft);
  const items = new Map();
  return {
    card,
    event(name, data) {
      if (name === "model_started") {
        title.textContent = data.turn > 1 ? "Thinking about what it found…" : "Thinking…";
      } else if (name === "step_started") {
        const li = h("li", { class: "running" }, stepLabel(data.name, data.args));
        items.set(data.id ?? `${data.name}-${items.size}`, li);
        steps.append(li);
        title.textContent = "Exploring the warehouse…";
      } else if (name === "step_finished") {
        const li = items.get(data.id) || [...items.values()].find((x) => x.className === "running");
        if (li) li.className = data.ok ? "ok" : "failed";
      } else if (name === "answer_delta") {
        draft.hidden = false;
        draft.textContent += data.text;
        title.textContent = "Writing the answer…";
      } else if (name === "answer_reset") {
        draft.textContent = "";
        draft.hidden = true;
      }
    },
  };
}

function errorCard(error) {
  let hint = "Please try again.";
  if (error.status === 429) {
    // The server's message already says when to try again; say it only once.
    hint = "Your question is still in the box: press Enter to ask it then.";
  } else if (error.status === 503) {
    hint = "The language model or the warehouse is unavailable right now. Try again in a minute.";
  } else if (error.status === 400) {
    hint = "Check the question and try again.";
  } else if (error.status === 404) {
    hint = "It may have expired. Start a new conversation.";
  } else if (!error.status) {
    hint = "Check your connection, or whether the service is running, and try again.";
  }
  return h("article", { class: "card error", role: "alert" },
    h("strong", {}, `Sorry, that did not work: ${error.message}`), h("p", {}, hint));
}

function askToken() {
  const dialog = $("token-dialog");
  if (!dialog.open) dialog.showModal();
}

// -- asking ---------------------------------------------------------------------

/** Ask one question; resolves true when it was answered. */
async function ask(question) {
  question = question.trim();
  if (!question) return false;
  const controller = session.begin();
  if (!controller) return false;
  let answered = false;
  $("ask-button").disabled = true;
  $("question").value = "";
  autosize();
  const turn = turnElement(question);
  const progress = progressCard();
  turn.append(progress.card);
  progress.card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  let result = null;
  let started = false; // an event arrived: a failure now is a lost connection
  try {
    await streamAsk({ question, conversation_id: session.conversationId }, (name, data) => {
      started = true;
      if (name === "answer" || name === "error") result = { name, data };
      else progress.event(name, data);
    }, controller.signal);
    if (!result) throw new ApiError("the connection to the server was lost before the answer arrived", 502);
    if (result.name === "error") throw new ApiError(result.data.error, result.data.status);
    progress.card.replaceWith(answerCard(result.data, cardContext));
    session.setConversation(result.data.conversation_id);
    const text = result.data.answer || "";
    cardContext.announce(`Answer: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
    answered = true;
  } catch (e) {
    if (controller.signal.aborted) return false; // "New conversation" was clicked meanwhile
    // fetch() fails with browser jargon ("Failed to fetch", "network error"): say what happened.
    const error = e instanceof ApiError ? e
      : new ApiError(started ? "the connection to the server was lost" : "the server could not be reached", 0);
    if (error.status === 401) {
      // Not a failure of the question: ask it again once the token is given.
      turn.remove();
      $("intro").hidden = $("thread").children.length > 0;
      session.waitForToken({ questions: [question] });
      askToken();
    } else {
      progress.card.replaceWith(errorCard(error));
      // Give the question back, so trying again is one Enter, not retyping it.
      if (!$("question").value.trim()) {
        $("question").value = question;
        autosize();
      }
    }
  } finally {
    session.end(controller);
    $("ask-button").disabled = false;
    if (!controller.signal.aborted) turn.scrollIntoView({ block: "start", behavior: "smooth" });
    $("question").focus();
  }
  return answered;
}

/** Ask questions one after another as one conversation; stop at the first failure. */
async function askInTurn(questions) {
  for (const question of questions) {
    if (!(await ask(question))) break;
  }
}

// -- loading: datasets and examples, a conversation from the hash, ?q= ----------

async function loadCatalog() {
  try {
    const catalog = await getJSON("/api/datasets");
    clear($("datasets")).append(...catalog.datasets.map((d) =>
      h("span", { class: "dataset", title: d.description || null },
        h("strong", {}, d.dataset_id), ` · ${plural(d.tables.length, "table")}`)));
    clear($("examples")).append(...catalog.examples.map((q) =>
      h("li", {}, h("button", { type: "button", class: "example", onclick: () => ask(q) }, q))));
  } catch (e) {
    if (e.status === 401) askToken();
    $("datasets").append(h("span", { class: "dataset" }, `Datasets unavailable: ${e.message}`));
  }
}

async function restoreConversation(id) {
  try {
    const data = await getJSON(`/api/conversations/${encodeURIComponent(id)}`);
    for (const answer of data.answers) turnElement(answer.question).append(answerCard(answer, cardContext));
    session.setConversation(data.conversation_id);
  } catch (e) {
    if (e.status === 401) {
      // Not lost, only locked: load it once the token is given.
      session.waitForToken({ conversationId: id });
      askToken();
    } else if (e.status === 404) {
      session.setConversation(null); // expired or not ours: start afresh
    } else {
      // The server is down or unreachable: keep the conversation (and its id in
      // the URL), so a follow-up or a reload can carry on with it.
      session.setConversation(id);
      const li = h("li", { class: "turn" },
        errorCard(new ApiError(`the conversation could not be loaded: ${e.message}`, e.status || 0)));
      $("thread").append(li);
    }
  }
}

function autosize() {
  const box = $("question");
  box.style.height = "auto";
  box.style.height = `${Math.min(box.scrollHeight, 180)}px`;
}

async function init() {
  const box = $("question");
  $("ask-form").addEventListener("submit", (event) => { event.preventDefault(); ask(box.value); });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ask(box.value);
    }
  });
  box.addEventListener("input", autosize);
  $("new-conversation").addEventListener("click", newConversation);
  $("token-form").addEventListener("submit", () => {
    setToken($("token-input").value.trim());
    loadCatalog();
    const waiting = session.takeWaiting();
    // The conversation first, so a pending follow-up continues it.
    (waiting.conversationId ? restoreConversation(waiting.conversationId) : Promise.resolve())
      .then(() => askInTurn(waiting.questions));
  });
  const conversationId = conversationInHash(location.hash);
  // ?q=... (links from Slack and reports) asks straight away; several ?q= are a
  // conversation, asked in turn (a Slack follow-up such as "and by year?").
  const questions = questionsInSearch(location.search);
  if (questions.length) history.replaceState(null, "", `${location.pathname}${location.hash}`);
  box.focus();
  if (await tokenNeeded()) {
    // Ask for the token first; the token form then loads everything below.
    session.waitForToken({ conversationId, questions });
    askToken();
    return;
  }
  loadCatalog();
  const restored = conversationId ? restoreConversation(conversationId) : Promise.resolve();
  restored.then(() => askInTurn(questions));
}

async function tokenNeeded() {
  // /healthz is open and says whether the API wants a bearer token, so a tab
  // without one asks for it before calling the API, not after a 401 (which
  // the browser reports as a console error).
  if (token()) return false;
  try {
    const response = await fetch("/healthz", { headers: { Accept: "application/json" } });
    return (await response.json()).auth === "bearer";
  } catch {
    return false; // the API calls will say what is wrong
  }
}

init();
