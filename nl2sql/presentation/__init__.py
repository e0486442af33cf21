"""Presentation: how an answer reads in every channel (the page, the JSON API's
chart, Slack, email and report files).

- ``numbers``: number, cell, duration and size formatting (the page's rules);
- ``tables``: a result as a fixed-width text table;
- ``charts``: the chart a result's shape calls for, and its rendering;
- ``mrkdwn``: Slack's escaping and Block Kit limits;
- ``reading``: how a question was read, as labelled parts (Slack, the CLI).

The page formats in the browser with ``frontend/js/format.js``; a shared table
of cases keeps it and ``numbers`` in step.
"""
