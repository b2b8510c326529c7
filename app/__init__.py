"""Wiring: settings, database, FastAPI routes, the CLI and web pages."""
