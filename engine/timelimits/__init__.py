"""Time limits: commitment clocks in working days, warning levels, supervision orders,
the figures and the dashboard built on them.

May import: engine.core, engine.models, engine.workdays, engine.runtime, engine.org, engine.design,
engine.casework."""
