"""nl2sql: answer plain-language questions over a data warehouse, safely."""

__version__ = "0.1.0"
