"""Models: the Model interface, the Gemini adapter and the offline planner."""

from __future__ import annotations

from nl2sql.config import Settings
from nl2sql.models.base import Model


def open_model(settings: Settings) -> Model:
    """The model named by settings (``offline`` or a Gemini model name)."""
    name = settings.resolved_model()
    if name == "offline":
        from nl2sql.models.offline import OfflinePlanner

        return OfflinePlanner()
    from nl2sql.models.gemini import GeminiModel, thinking_config

    return GeminiModel(name, timeout_s=settings.gemini_timeout_s,
                       thinking=thinking_config(settings.gemini_thinking))
