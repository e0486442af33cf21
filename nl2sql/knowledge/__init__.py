"""Knowledge the tools hand to both models: semantic definitions (metrics,
entities, dimensions), verified question -> SQL pairs, and answer feedback.
See docs/knowledge.md."""

from nl2sql.knowledge.semantic import Metric, SemanticLayer, load_file, parse, semantic_layer

__all__ = ["Metric", "SemanticLayer", "load_file", "parse", "semantic_layer"]
