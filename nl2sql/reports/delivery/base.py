"""What every destination shares: its error and the context it is sent with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nl2sql.config import Settings
from nl2sql.errors import Nl2SqlError


class DeliveryError(Nl2SqlError):
    """A destination refused the message or could not be reached."""

    status = 502


@dataclass(frozen=True)
class DeliveryContext:
    settings: Settings
    env: Mapping[str, str]  # for ${VAR} and SMTP credentials
