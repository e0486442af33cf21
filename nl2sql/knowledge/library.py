"""What the tools consult: verified pairs from every source, for the datasets allowed.

``Knowledge`` ties the definitions files, the state store (analysts' pairs,
feedback) and the reports file together; the ``Toolbox`` holds one and the
``Runtime`` builds it on the service's state database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from nl2sql.config import Settings
from nl2sql.errors import Nl2SqlError
from nl2sql.knowledge.feedback import FeedbackStore
from nl2sql.knowledge.semantic import semantic_layer
from nl2sql.knowledge.verified import (
    Match,
    VerifiedQuery,
    VerifiedStore,
    dataset_of,
    search,
    voted_down,
)
from nl2sql.safety import Policy
from nl2sql.schemas import dataset_ids
from nl2sql.state.db import StateDB

log = logging.getLogger("nl2sql.knowledge")


def defined_datasets(datasets_dir: str = "") -> list[str]:
    """Datasets that have a definitions file (packaged, or in ``datasets_dir``)."""
    return dataset_ids(".yaml", datasets_dir)


def file_queries(dataset: str | None = None, datasets_dir: str = "") -> list[VerifiedQuery]:
    """The ``verified_queries`` of the definitions files (already gate-checked on load)."""
    out: list[VerifiedQuery] = []
    for ds in [dataset] if dataset else defined_datasets(datasets_dir):
        try:
            layer = semantic_layer(ds, datasets_dir)
        except Nl2SqlError as e:
            log.error("definitions of %s not used: %s", ds, e.message)
            continue
        if layer is not None:
            out += [VerifiedQuery(f"file:{ds}:{i + 1}", ds, v.question, v.sql, "file")
                    for i, v in enumerate(layer.verified)]
    return out


def report_queries(settings: Settings, policy: Policy) -> list[VerifiedQuery]:
    """Reports whose SQL is pinned: an analyst checked that SQL answers that question."""
    from nl2sql.reports.definitions import load_reports  # reports import the core, not us

    path = Path(settings.reports)
    if not path.is_file():
        return []
    try:
        reports = load_reports(path)
    except Nl2SqlError as e:
        log.warning("reports file not used for verified queries: %s", e.message)
        return []
    out = []
    for r in reports:
        if not r.sql:
            continue
        try:
            out.append(VerifiedQuery(f"report:{r.name}", dataset_of(r.sql, policy), r.question,
                                     r.sql, "report"))
        except Nl2SqlError as e:
            log.warning("pinned SQL of report %s not offered: %s", r.name, e.message)
    return out


class Knowledge:
    def __init__(self, settings: Settings, db: StateDB | None = None,
                 project: str | None = None) -> None:
        self.settings = settings
        self.policy = Policy.from_settings(settings, project)
        self.verified = VerifiedStore(db) if db is not None else None
        self.feedback = FeedbackStore(db) if db is not None else None

    def candidates(self, dataset: str | None = None) -> list[VerifiedQuery]:
        """Every pair: the files', the analysts', the pinned reports', leaving out those
        whose reuse was voted down."""
        out = file_queries(dataset, self.settings.datasets_dir)
        if self.verified is not None:
            out += self.verified.list(dataset)
        out += [q for q in report_queries(self.settings, self.policy)
                if dataset is None or q.dataset == dataset]
        down = self.feedback.down_voted_answers() if self.feedback is not None else []
        return [q for q in out if not voted_down(q, down)] if down else out

    def search(self, question: str, allowed: Callable[[str], bool],
               dataset: str | None = None, limit: int = 3) -> list[Match]:
        return search(question, [q for q in self.candidates(dataset) if allowed(q.dataset)],
                      limit=limit)
