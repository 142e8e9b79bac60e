"""The core wing: the schema, its migrations, the clock."""
