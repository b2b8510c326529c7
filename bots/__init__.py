"""The wire edge: callback crypto, typed inbound messages, the outbound API client and its token cache."""
