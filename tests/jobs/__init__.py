"""The jobs wing: timers, messages, external work, retries and the worker."""
