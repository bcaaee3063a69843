"""The catalog to findings: the checks, near-duplicate names, incremental re-runs and validation."""
