"""The engine's ground floor: who acts, the error kinds, the clock, the database and its
migrations, the audit trail, the ports to outside systems and the extension registry.

May import: engine.models."""
