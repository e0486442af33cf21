"""One module per held-out domain; each has build(con, rng) filling its own DuckDB schema."""
