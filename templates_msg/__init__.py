"""Understanding messages: classify, parse, mask and render (pure functions, no I/O)."""
