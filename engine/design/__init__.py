"""The designer's side: deployments by content hash, guides and application forms, the
studio's versions, differences and heat.

May import: engine.core, engine.models, engine.runtime, engine.org."""
