"""Bearer tokens (``NL2SQL_API_TOKENS``): checking one, and the user it stands for.

Shared by every interface that accepts tokens (the JSON API, the MCP server),
so a token is the same user, with the same rate limit, everywhere.

>>> token_user("s3cret")
'token:1ec1c26b50d5'
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


def token_user(token: str) -> str:
    """The user a token stands for: a hash, so logs and job labels never carry the token."""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:12]


def token_matches(given: str | None, tokens: Iterable[str]) -> bool:
    """Whether ``given`` is one of ``tokens``, in time that does not depend on which."""
    # compare_digest against every token, with no short cut (a list, not any()
    # over a generator): timing says nothing about whether or which one matched.
    raw = (given or "").encode()
    matches = [hmac.compare_digest(raw, t.encode()) for t in tokens]
    return given is not None and any(matches)
