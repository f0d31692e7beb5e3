"""Evidence ledger (存证): an append-only SHA-256 hash chain of contract events."""
