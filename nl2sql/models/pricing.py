"""Estimated model cost: a small price table per Gemini model.

Prices are Google's published pay-as-you-go list prices for the Gemini API
(US dollars per million tokens, prompts up to 200k tokens), as of late 2025.
They are an **estimate** shown beside BigQuery bytes so an analyst sees what a
question cost; the bill (free tier, Vertex AI discounts, long prompts) may
differ. Thinking tokens are billed as output; cached prompt tokens at the
cached-input price. Unknown models get no estimate rather than a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    input: float  # USD per 1M prompt tokens
    output: float  # USD per 1M output tokens (thinking included)
    cached: float  # USD per 1M cached prompt tokens


#: Longest matching prefix wins (``gemini-2.5-flash-lite`` before ``gemini-2.5-flash``).
PRICES: dict[str, Price] = {
    "gemini-3-pro": Price(2.00, 12.00, 0.20),
    "gemini-3-flash": Price(0.50, 3.00, 0.05),
    "gemini-2.5-pro": Price(1.25, 10.00, 0.125),
    "gemini-2.5-flash-lite": Price(0.10, 0.40, 0.01),
    "gemini-2.5-flash": Price(0.30, 2.50, 0.03),
    "gemini-2.0-flash-lite": Price(0.075, 0.30, 0.01875),
    "gemini-2.0-flash": Price(0.10, 0.40, 0.025),
}


def price_of(model: str) -> Price | None:
    """The price entry for a model name (``models/`` prefix and suffixes allowed).

    >>> price_of("models/gemini-2.5-flash-lite-preview-09-2025").input
    0.1
    >>> price_of("my-tuned-model") is None
    True
    """
    name = model.rsplit("/", 1)[-1]
    matches = [k for k in PRICES if name.startswith(k)]
    return PRICES[max(matches, key=len)] if matches else None


def estimate_usd(model: str, prompt: int | None, output: int | None, thinking: int | None,
                 cached: int | None) -> float | None:
    """Estimated cost of one call, or None for a model not in the table.

    >>> round(estimate_usd("gemini-2.5-flash", 1_000_000, 0, 0, 0), 2)
    0.3
    """
    price = price_of(model)
    if price is None:
        return None
    cached = cached or 0
    fresh = max((prompt or 0) - cached, 0)
    out = (output or 0) + (thinking or 0)
    return (fresh * price.input + cached * price.cached + out * price.output) / 1e6
