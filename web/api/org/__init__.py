"""The JSON API of engine.org."""
