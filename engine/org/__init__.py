"""The organisation: offices and postings, users and their groups, the item catalogue,
routing to the competent office, and the administrator's tools.

May import: engine.core, engine.models."""
