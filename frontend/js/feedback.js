// Thumbs up/down under an answer (with an optional comment on a down vote), and
// "Mark verified" for an answer with SQL: POST /api/answers/<id>/feedback and /verify.
import { postJSON } from "./api.js";
import { h } from "./dom.js";

function say(status, text, alert = false) {
  status.textContent = text;
  status.setAttribute("role", alert ? "alert" : "status");
}

export function feedbackBlock(answer) {
  if (!answer.answer_id) return null;
  const base = `/api/answers/${encodeURIComponent(answer.answer_id)}`;
  const status = h("span", { class: "feedback-status", role: "status" });
  const up = h("button", { type: "button", class: "btn btn-secondary btn-small vote vote-up", "aria-pressed": "false", title: "This answer is right" }, "👍 Right");
  const down = h("button", { type: "button", class: "btn btn-secondary btn-small vote vote-down", "aria-pressed": "false", title: "This answer is wrong" }, "👎 Wrong");
  const comment = h("input", { type: "text", class: "feedback-comment", maxlength: "2000", "aria-label": "What was wrong? (optional)", placeholder: "What was wrong? (optional)" });
  const send = h("button", { type: "submit", class: "btn btn-small" }, "Send");
  const form = h("form", { class: "feedback-form", hidden: true }, comment, send);

  async function vote(kind, text) {
    try {
      await postJSON(`${base}/feedback`, text ? { vote: kind, comment: text } : { vote: kind });
    } catch (e) {
      say(status, `Feedback could not be sent: ${e.message}`, true);
      return false;
    }
    up.setAttribute("aria-pressed", String(kind === "up"));
    down.setAttribute("aria-pressed", String(kind === "down"));
    say(status, text ? "Thanks: your comment was sent." : "Thanks for the feedback.");
    return true;
  }

  up.addEventListener("click", async () => { if (await vote("up")) form.hidden = true; });
  down.addEventListener("click", async () => {
    if (await vote("down")) { form.hidden = false; comment.focus(); }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await vote("down", comment.value.trim())) form.hidden = true;
  });

  let verify = null;
  if (answer.sql && answer.answered !== false) {
    verify = h("button", { type: "button", class: "btn btn-secondary btn-small verify", title: "Offer this question and SQL to the model as a verified example" }, "Mark verified");
    verify.addEventListener("click", async () => {
      try {
        await postJSON(`${base}/verify`, {});
      } catch (e) {
        say(status, `Could not mark verified: ${e.message}`, true);
        return;
      }
      verify.disabled = true;
      verify.textContent = "Verified";
      say(status, "Marked verified: the model will reuse this query.");
    });
  }
  return h("div", { class: "feedback", role: "group", "aria-label": "Feedback on this answer" },
    h("span", { class: "feedback-label" }, "Was this right?"), up, down, verify, form, status);
}
