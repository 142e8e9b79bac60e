"""The JSON API of engine.service."""
