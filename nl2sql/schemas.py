"""Where the declarative files live: ``schemas/`` at the top of the repository."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_path(name: str) -> Path:
    """A file from ``schemas/``: the source tree's, or the copy shipped in the package."""
    local = SCHEMAS_DIR / name
    if local.exists():
        return local
    return Path(str(resources.files("nl2sql") / "schemas" / name))
