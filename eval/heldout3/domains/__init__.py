"""One module per domain of the third held-out set; each has build(con, rng) filling its schema."""
