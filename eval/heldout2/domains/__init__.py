"""One module per domain of the second held-out set; each has build(con, rng) filling its schema."""
