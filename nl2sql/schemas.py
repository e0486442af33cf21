"""Where the declarative files live: ``schemas/`` at the top of the repository.

Dataset files (``datasets/<dataset>.md`` context, ``datasets/<dataset>.yaml``
definitions) can also come from a team's own directory (``NL2SQL_DATASETS_DIR``):
a file there takes precedence over the packaged one of the same name, so a team
changes "revenue" or adds its datasets without editing the installed package.
"""

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


def _safe_id(dataset_id: str) -> bool:
    # A dataset id names a file: it must not climb out of the directory.
    return bool(dataset_id) and not any(c in dataset_id for c in "/\\") \
        and not dataset_id.startswith(".")


def dataset_file(dataset_id: str, suffix: str, datasets_dir: str = "") -> Path | None:
    """``<dataset_id><suffix>`` (``.md`` or ``.yaml``): from ``datasets_dir`` when
    it has that file, else the packaged one; None when neither exists."""
    if not _safe_id(dataset_id):
        return None
    name = f"{dataset_id}{suffix}"
    if datasets_dir:
        own = Path(datasets_dir) / name
        if own.is_file():
            return own
    packaged = schema_path(f"datasets/{name}")
    return packaged if packaged.is_file() else None


def dataset_ids(suffix: str, datasets_dir: str = "") -> list[str]:
    """Datasets with a ``<dataset><suffix>`` file, in ``datasets_dir`` or packaged."""
    folders = [schema_path("datasets"), *([Path(datasets_dir)] if datasets_dir else [])]
    return sorted({p.name.removesuffix(suffix) for folder in folders if folder.is_dir()
                   for p in folder.glob(f"*{suffix}") if _safe_id(p.name)})
