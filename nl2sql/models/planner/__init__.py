"""The offline planner's parts: words, catalog, parse, match, resolve, sqlbuild, phrasing."""
