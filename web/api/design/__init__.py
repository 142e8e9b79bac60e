"""The JSON API of engine.design."""
