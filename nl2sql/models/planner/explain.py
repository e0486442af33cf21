"""Plan -> Interpretation: how the offline planner read a question, in plain words."""

from __future__ import annotations

from nl2sql.interpretation import Interpretation
from nl2sql.models.planner.cues import Relative
from nl2sql.models.planner.durations import label as duration_label
from nl2sql.models.planner.periods import describe, formula, period_filter
from nl2sql.models.planner.phrasing import (
    AGG_WORDS,
    describe_filter,
    measure_label,
    name_text,
    rows_of,
    unit_words,
    words,
)
from nl2sql.models.planner.plan import Measure, Plan
from nl2sql.models.planner.setsql import describe_condition


def _measure(m: Measure, plan: Plan) -> tuple[str, str]:
    """(what is measured, how it is computed)."""
    noun = rows_of(plan.subject)
    if m.func == "METRIC" and m.metric is not None:
        what = name_text(m.metric.name) + (f" ({m.metric.description.rstrip('.')})"
                                           if m.metric.description else "")
        return what, m.metric.expression
    if m.func == "METRIC_SHARE" and m.metric is not None:
        name = name_text(m.metric.name)
        if not m.condition:
            return (f"each group's share of {name}",
                    f"100 * {m.metric.expression} / total {m.metric.expression}")
        cond = " and ".join(describe_filter(f, plan) for f in m.condition)
        return (f"the share of {name} from {noun} with {cond}",
                f"100 * ({m.metric.expression} where {cond}) / {m.metric.expression}")
    if m.func == "COUNT":
        return f"the number of {noun}", f"COUNT(*) over {plan.subject.id}"
    if m.func == "COUNT_DISTINCT" and m.column is not None:
        return (f"the number of distinct {words(m.column)}",
                f"COUNT(DISTINCT {m.column.name})")
    if m.func == "PCT":
        cond = " and ".join(describe_filter(f, plan) for f in m.condition)
        return (f"the percentage of {noun} with {cond}",
                f"100 * (rows with {cond}) / (all {noun})")
    if m.func == "SHARE":
        return f"each group's share of {noun}", "100 * COUNT(*) / total COUNT(*)"
    if m.func == "AVG_COUNT" and m.column is not None:
        return (f"the average number of {noun} per {words(m.column)}",
                f"COUNT(*) / COUNT(DISTINCT {m.column.name})")
    assert m.column is not None
    word = AGG_WORDS.get(m.func, m.func.lower())
    if m.since is not None:  # durations.py
        return (f"the {word} {duration_label(m)}",
                f"{m.func}({m.column.name} - {m.since.name}, in {(m.unit or 'DAY').lower()}s)")
    return f"the {word} {words(m.column)}", f"{m.func}({m.column.name})"


def interpretation(plan: Plan, unused: list[str] | None = None,
                   corrections: list[tuple[str, str]] | None = None) -> Interpretation:
    if plan.rows:
        measure = f"the {rows_of(plan.subject)}: " + ", ".join(words(c) for c in plan.rows)
        definition = ""
    else:
        read = [_measure(m, plan) for m in plan.measures]
        measure = "; ".join(r[0] for r in read)
        definition = "; ".join(r[1] for r in read)
    compared = plan.periods
    shown = [f for f in plan.filters if compared is None or not period_filter(f, compared)]
    timed = [f for f in shown if f.part is not None
             or (f.values and isinstance(f.values[0], Relative))]
    filters = tuple(describe_filter(f, plan) for f in shown if f not in timed)
    said = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most", "=": ""}
    filters += tuple(f"{said.get(op, op)} {n} {rows_of(plan.subject)} per group".replace("  ", " ")
                     for op, n in plan.having)
    filters += tuple(describe_condition(c, plan) for c in plan.conditions)  # sets.py
    grouping = tuple((g.entity.target.name if g.entity else words(g.column))
                     + (f" ({unit_words(g.unit)})" if g.unit else "") for g in plan.groups)
    ordering = ""
    if plan.order_column is not None and plan.desc is not None:
        ordering = (f"ordered by {words(plan.order_column)} "
                    f"{'descending' if plan.desc else 'ascending'}")
    elif plan.desc is not None:
        ordering = f"ordered by the {'largest' if plan.desc else 'smallest'} value first"
    if plan.limit is not None and plan.desc is not None:
        ordering += f", the first {plan.limit}"
    joins = tuple(f"{j.source.id} to {j.target.id} on {j.fk.name} = {j.key.name}"
                  for j in plan.joins)  # a path's later steps start at its earlier ones
    rules = tuple(f"{m.metric.name}: {rule}" for m in plan.measures if m.metric is not None
                  for rule in m.metric.filters)
    rules += tuple(f"read '{said}' as '{read}'" for said, read in corrections or [])
    rules += tuple(f"read {verb}" for verb in plan.relations)  # relations.py
    window = [describe_filter(f, plan) for f in timed]
    if compared is not None:  # the periods compared and how the change is computed
        window.insert(0, describe(compared))
        definition = "; ".join(filter(None, [definition, formula(compared, measure_label(plan))]))
        grouping = grouping[:-1] if compared.kind == "growth" else grouping
    return Interpretation(measure=measure, definition=definition, filters=filters, rules=rules,
                          grouping=grouping, ordering=ordering,
                          time_window=" and ".join(window),
                          joins=joins, unused_words=tuple(unused or ()))
