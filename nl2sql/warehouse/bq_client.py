"""The BigQuery client: Application Default Credentials, or anonymous on an emulator."""

from __future__ import annotations

from google.api_core.client_info import ClientInfo
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

from nl2sql import __version__
from nl2sql.warehouse.bq_errors import translate


def make_client(project: str, location: str | None, endpoint: str = "") -> bigquery.Client:
    """A client on Application Default Credentials, or anonymous on ``endpoint``."""
    info = ClientInfo(user_agent=f"nl2sql/{__version__}")
    try:
        if endpoint:
            return bigquery.Client(project=project, location=location, client_info=info,
                                   credentials=AnonymousCredentials(),
                                   client_options=ClientOptions(api_endpoint=endpoint))
        return bigquery.Client(project=project, location=location, client_info=info)
    except Exception as e:
        raise translate(e, doing="metadata") from None
