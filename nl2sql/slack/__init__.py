"""Slack slash command support: ``/ask QUESTION`` answered in the channel.

Small modules, one concern each:

- ``verify``    request signatures (slack_sdk's SignatureVerifier) and command parsing
- ``blocks``    Block Kit messages built from an ``Answer``
- ``responder`` posting to ``response_url`` with retries inside Slack's budget
- ``worker``    the bounded pool that answers questions after the 3-second ack
- ``upload``    chart PNGs uploaded with ``files_upload_v2`` (needs a bot token)
- ``service``   the glue: rate limit, conversation, agent, answer, chart

The Flask blueprint in ``nl2sql.web.slack`` is a thin shell around ``service``.
"""
