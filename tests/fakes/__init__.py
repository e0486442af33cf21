"""Local HTTP peers that speak remote APIs' wire formats, for tests through official clients."""
