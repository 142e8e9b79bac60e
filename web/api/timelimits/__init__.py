"""The JSON API of engine.timelimits."""
