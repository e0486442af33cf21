"""Date-sharded tables: ``events_20240101``, ``events_20240102``… shown as one ``events_*``.

GA4 and other exports write one table per day; a dataset can hold thousands.
Listed one by one they would drown the model (and cost a metadata call each),
so shards of one prefix are grouped into a wildcard entry with their date
range, described by their latest shard, and queried with ``_TABLE_SUFFIX``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

#: a shard name: any prefix ending in ``_`` (or none), then a valid YYYYMMDD date
_SHARD = re.compile(r"^(?P<prefix>.*?_?)(?P<date>(?:19|20)\d{6})$")
MIN_SHARDS = 2  # one dated table alone is just a table


@dataclass(frozen=True)
class ShardGroup:
    prefix: str  # "events_"
    suffixes: tuple[str, ...]  # sorted dates, "20240101"...

    @property
    def wildcard(self) -> str:
        return self.prefix + "*"

    @property
    def latest(self) -> str:
        return self.prefix + self.suffixes[-1]

    def description(self, dataset: str) -> str:
        first, last = self.suffixes[0], self.suffixes[-1]
        return (f"date-sharded table: {len(self.suffixes)} daily shards {self.prefix}{first} … "
                f"{self.prefix}{last} ({_iso(first)} to {_iso(last)}). Query `{dataset}."
                f"{self.wildcard}` with WHERE _TABLE_SUFFIX BETWEEN '{first}' AND '{last}' "
                "(narrow it to the dates you need).")


def shard_date(name: str) -> tuple[str, str] | None:
    """``(prefix, yyyymmdd)`` when ``name`` ends in a valid date, else None.

    >>> shard_date("events_20240131")
    ('events_', '20240131')
    >>> shard_date("events_20241399") is None
    True
    """
    m = _SHARD.match(name)
    if m is None:
        return None
    try:
        dt.datetime.strptime(m["date"], "%Y%m%d")
    except ValueError:
        return None
    return m["prefix"], m["date"]


def group(names: Iterable[str]) -> tuple[list[str], list[ShardGroup]]:
    """Split table names into plain tables and shard groups (``MIN_SHARDS`` or more).

    >>> plain, groups = group(["users", "events_20240102", "events_20240101", "x_20240101"])
    >>> plain, [(g.wildcard, g.suffixes) for g in groups]
    (['users', 'x_20240101'], [('events_*', ('20240101', '20240102'))])
    """
    by_prefix: dict[str, list[str]] = {}
    plain: list[str] = []
    for name in names:
        found = shard_date(name)
        if found is None:
            plain.append(name)
        else:
            by_prefix.setdefault(found[0], []).append(found[1])
    groups = []
    for prefix, dates in sorted(by_prefix.items()):
        if len(dates) >= MIN_SHARDS:
            groups.append(ShardGroup(prefix, tuple(sorted(dates))))
        else:
            plain.extend(prefix + d for d in dates)
    return sorted(plain), groups


def is_wildcard(name: str) -> bool:
    return name.endswith("*")


def _iso(yyyymmdd: str) -> str:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"
