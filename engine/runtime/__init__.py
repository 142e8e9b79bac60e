"""SpiffWorkflow at work: the Engine (parsed specs, live workflows, the sandboxed script
engine), a case's storage task by task, diagrams loaded and linted, and the patches.

May import: engine.core, engine.models."""
