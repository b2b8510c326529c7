"""Inbound callbacks: WeCom app, Official Account and AI bot; verification, dedupe, storage, reply."""
