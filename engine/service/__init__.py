"""Services to the public: appointments and after-hours slots, door-to-door visits, the
mobile window, the acceptance desk, ratings and notifications.

May import: engine.core, engine.models, engine.workdays, engine.runtime, engine.org, engine.design,
engine.casework, engine.timelimits."""
