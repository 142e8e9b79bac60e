"""The JSON API of engine.casework."""
