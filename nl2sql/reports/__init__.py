"""Scheduled reports: questions run on a cron schedule and delivered (see docs/reports.md).

``definitions`` loads the YAML file, ``schedule`` computes slots, ``store``
records runs and deliveries, ``runner`` produces and delivers results,
``delivery/`` holds the destinations and ``cli`` the ``nl2sql report`` commands.
"""
