"""The JSON API of engine.jobs."""
