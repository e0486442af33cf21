"""The golden corpora (``golden/safe.yaml``, ``golden/unsafe.yaml``) and the policy they assume."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from nl2sql.safety import Policy

GOLDEN = Path(__file__).parent / "golden"

DEFAULT_POLICY = {
    "allowed_datasets": ["thelook_ecommerce", "analytics_123456"],
    "project": "acme-analytics",
    "max_rows": 1000,
}


@dataclass(frozen=True)
class Case:
    category: str
    sql: str
    policy: Policy
    expect: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.category}-{self.expect['index']}"


def _build(raw: dict[str, Any], index: int) -> Case:
    sql = raw["sql"] * raw.get("repeat", 1)
    if "nest" in raw:
        depth = raw["nest"]
        sql = sql.replace("{}", "(" * depth + "1" + ")" * depth)
    settings = {**DEFAULT_POLICY, **raw.get("policy", {})}
    policy = Policy(frozenset(settings["allowed_datasets"]), settings["project"],
                    settings["max_rows"])
    expect = {k: v for k, v in raw.items() if k not in ("sql", "category", "policy")}
    return Case(raw["category"], sql, policy, {**expect, "index": index})


@cache
def load(name: str) -> tuple[Case, ...]:
    """Cases of ``golden/<name>.yaml``."""
    raw = yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8"))
    return tuple(_build(item, i) for i, item in enumerate(raw))
