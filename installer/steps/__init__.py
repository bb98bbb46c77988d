"""The installer's steps, in the order a technician runs them; each is idempotent."""
