"""BigQuery failures as sentences the model can act on and a person can read.

Every exception the client or google-auth raises passes through ``translate``
at the warehouse boundary; nothing above it sees a vendor exception.
"""

from __future__ import annotations

import concurrent.futures
import re
from typing import Literal

from google.api_core import exceptions as api
from google.auth import exceptions as auth

from nl2sql.errors import Nl2SqlError, NotFound, QueryError, QueryTimeout, WarehouseError

Doing = Literal["query", "metadata"]

_ADC_HELP = (
    "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS "
    "to a service account key file, or run on Google Cloud with a service account attached"
)


def reason_of(exc: api.GoogleAPICallError) -> str:
    """BigQuery's machine-readable reason (``invalidQuery``, ``accessDenied``...), or ''."""
    for err in exc.errors or ():
        if isinstance(err, dict) and err.get("reason"):
            return str(err["reason"])
    return str(getattr(exc, "reason", "") or "")


def message_of(exc: api.GoogleAPICallError) -> str:
    """BigQuery's own sentence, without the client's URL prefix and job footer."""
    for err in exc.errors or ():
        if isinstance(err, dict) and err.get("message"):
            return _clean(str(err["message"]))
    return _clean(str(exc.message or exc))


def _clean(text: str) -> str:
    text = text.split("\n\nLocation:")[0]
    text = re.sub(r"^(GET|POST|PUT|PATCH|DELETE) \S+: ", "", text.strip())
    return " ".join(text.split())


def translate(exc: BaseException, *, doing: Doing = "query",
              timeout_s: float | None = None, max_bytes: int | None = None) -> Nl2SqlError:
    """The ``Nl2SqlError`` to raise for ``exc`` (raise it ``from None``)."""
    if isinstance(exc, Nl2SqlError):
        return exc
    if isinstance(exc, auth.DefaultCredentialsError):
        return WarehouseError(f"no Google credentials for BigQuery: {_ADC_HELP}")
    if isinstance(exc, auth.RefreshError):
        return WarehouseError(f"BigQuery credentials were refused ({_clean(str(exc))}): "
                              f"{_ADC_HELP}")
    if isinstance(exc, (concurrent.futures.TimeoutError, TimeoutError, api.DeadlineExceeded)):
        return _timeout(timeout_s)
    if isinstance(exc, api.RetryError):
        # The cause's own sentence: str() of an API error starts with the request URL.
        # The job retry wraps the polling retry: unwrap to the innermost cause.
        cause = exc.cause
        while isinstance(cause, api.RetryError) and cause.cause is not None:
            cause = cause.cause
        last = (message_of(cause) if isinstance(cause, api.GoogleAPICallError)
                else _clean(str(cause or exc)))
        return WarehouseError(f"BigQuery kept failing until the time limit; try again: {last}")
    if isinstance(exc, api.GoogleAPICallError):
        return _api_error(exc, doing, timeout_s, max_bytes)
    if isinstance(exc, OSError) or type(exc).__module__.startswith(("requests", "urllib3")):
        return WarehouseError(f"cannot reach BigQuery: {_clean(str(exc)) or type(exc).__name__}")
    return WarehouseError(f"BigQuery failed: {type(exc).__name__}: {_clean(str(exc))}")


def _timeout(timeout_s: float | None) -> QueryTimeout:
    limit = f"{timeout_s:g}s " if timeout_s else ""
    return QueryTimeout(
        f"the query ran past the {limit}time limit (NL2SQL_QUERY_TIMEOUT_S) and was "
        "cancelled; aggregate, filter on the partition column, or query a shorter date range"
    )


def _api_error(exc: api.GoogleAPICallError, doing: Doing, timeout_s: float | None,
               max_bytes: int | None) -> Nl2SqlError:
    reason, msg = reason_of(exc), message_of(exc)
    lowered = msg.lower()
    if reason == "bytesBilledLimitExceeded" or "bytes billed" in lowered:
        cap = f" of {gigabytes(max_bytes)}" if max_bytes else ""
        return QueryError(
            f"the query would bill more than this service's limit{cap} "
            f"(NL2SQL_MAX_BYTES_BILLED) and was stopped: {msg.rstrip('.')}. Select fewer "
            "columns or filter on the partition column"
        )
    if reason in ("timeout", "jobTimeout") or "timed out" in lowered or "timeout" in reason.lower():
        return _timeout(timeout_s)
    if reason in ("quotaExceeded", "rateLimitExceeded") or isinstance(exc, api.TooManyRequests):
        return WarehouseError(f"BigQuery quota or rate limit reached; try again later: {msg}")
    if reason in ("accessDenied", "billingNotEnabled", "billingTierLimitExceeded") or isinstance(
        exc, (api.Forbidden, api.Unauthorized)
    ):
        return _denied(msg, doing)
    if reason == "notFound" or isinstance(exc, api.NotFound):
        if doing == "metadata":
            return NotFound(f"not found in BigQuery: {msg}; call list_datasets or list_tables")
        return QueryError(f"BigQuery could not find something the query names: {msg}. "
                          "Check the names with list_tables and get_table")
    if reason == "responseTooLarge":
        return QueryError(f"the result is too large for BigQuery to return: {msg}. "
                          "Aggregate or add LIMIT")
    if reason == "resourcesExceeded":
        return QueryError(f"the query needs more resources than BigQuery allows: {msg}. "
                          "Aggregate earlier, drop ORDER BY on large results, or filter more")
    if reason in ("backendError", "internalError") or isinstance(
        exc, (api.InternalServerError, api.ServiceUnavailable, api.BadGateway)
    ):
        return WarehouseError(f"BigQuery had an internal error; try again: {msg}")
    invalid = reason in ("invalidQuery", "invalid") or isinstance(exc, api.BadRequest)
    if doing == "query" and invalid:
        return QueryError(f"BigQuery rejected the query: {msg}")
    return (QueryError if doing == "query" else WarehouseError)(f"BigQuery error: {msg}")


def _denied(msg: str, doing: Doing) -> Nl2SqlError:
    text = (f"BigQuery denied access: {msg}. This service reads only the datasets its "
            "service account may read; use list_datasets to see them")
    return QueryError(text) if doing == "query" else WarehouseError(text)


def gigabytes(n: int) -> str:
    """Bytes in decimal units, gigabytes for anything that costs money.

    >>> gigabytes(53_700_000_000), gigabytes(150_000_000), gigabytes(1_500_000), gigabytes(1000)
    ('53.7 GB', '0.15 GB', '1.5 MB', '1000 bytes')
    """
    if n >= 10**8:
        return f"{n / 1e9:.{1 if n >= 10**9 else 2}f} GB"
    if n >= 10**6:
        return f"{n / 1e6:.1f} MB"
    return f"{n} bytes"
