"""How a question was read, as labelled parts for a channel to show (Slack, the CLI);
the page does the same in frontend/js/interpretation.js.

>>> from nl2sql.interpretation import Interpretation
>>> for part in reading_parts(Interpretation(measure="revenue", definition="SUM(sale_price)",
...         filters=("year 2024",), rules=("excludes Cancelled",))):
...     print(part)
('Measure', 'revenue = SUM(sale_price)')
('Filters', 'year 2024')
('Rules applied', 'excludes Cancelled')
"""

from __future__ import annotations

from nl2sql.interpretation import Interpretation

_PARTS = (("filters", "Filters"), ("grouping", "Grouped by"), ("time_window", "Time window"),
          ("ordering", "Order"), ("joins", "Tables joined"), ("rules", "Rules applied"),
          ("unused_words", "Words not used"))


def reading_parts(interpretation: Interpretation) -> list[tuple[str, str]]:
    """(label, text) for each part of the reading that says something."""
    parts: list[tuple[str, str]] = []
    if interpretation.measure:
        measure = interpretation.measure
        if interpretation.definition:
            measure = f"{measure} = {interpretation.definition}"
        parts.append(("Measure", measure))
    for key, label in _PARTS:
        value = getattr(interpretation, key)
        text = "; ".join(value) if isinstance(value, tuple) else value
        if text:
            parts.append((label, text))
    return parts
