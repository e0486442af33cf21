"""One module per domain of the fifth held-out set; each has build(con, rng) filling its schema."""
