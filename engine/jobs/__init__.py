"""The job table and what runs from it: the worker with its leases, timers, messages and
signals between cases, Camunda external work.

May import: engine.core, engine.models, engine.runtime, engine.org, engine.casework."""
