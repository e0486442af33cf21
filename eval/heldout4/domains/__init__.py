"""One module per domain of the fourth held-out set; each has build(con, rng) filling its schema."""
