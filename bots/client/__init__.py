"""Outbound calls to WeCom, the Official Account and group robots, with token cache and errcode policy."""
