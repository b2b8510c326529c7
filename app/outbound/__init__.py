"""Database side of the outbound client: the shared access-token store and the API call log."""
