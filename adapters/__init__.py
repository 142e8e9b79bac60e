"""Outside systems behind the engine's ports, each with an offline default."""
