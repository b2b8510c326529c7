"""The bureau's dashboard: the promises and outcomes of DESIGN.md, computed from our own rows."""
