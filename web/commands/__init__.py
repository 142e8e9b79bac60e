"""Subcommands of the `onething` CLI, one module per concern."""
