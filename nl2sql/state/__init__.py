"""Local state in one SQLite file: conversations, answers (and, elsewhere, rate
limits and metrics). Interfaces share it: the web app, Slack, reports."""

from nl2sql.state.conversations import AnswerRecord, ConversationRecord, ConversationStore
from nl2sql.state.db import StateDB

__all__ = ["AnswerRecord", "ConversationRecord", "ConversationStore", "StateDB"]
