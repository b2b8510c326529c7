"""Operations: heartbeats, Prometheus metrics, readiness, the doctor's checks, backup and restore."""
