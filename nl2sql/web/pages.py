"""The HTML page(s)."""

from __future__ import annotations

from flask import Blueprint, render_template_string

bp = Blueprint("pages", __name__)

_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nl2sql</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Ask the warehouse</h1>
<form id="ask"><label for="q">Question</label>
<input id="q" name="question" size="60" placeholder="How many orders are there?" required>
<button>Ask</button></form>
<pre id="out" aria-live="polite"></pre>
<script>
document.getElementById('ask').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const out = document.getElementById('out');
  out.textContent = 'Working…';
  const r = await fetch('/api/ask', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({question: document.getElementById('q').value})});
  const a = await r.json();
  out.textContent = a.ok ? a.answer + '\\n\\n' + (a.sql || '') : 'Error: ' + a.error;
});
</script></body></html>"""


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    return render_template_string(_FORM)
