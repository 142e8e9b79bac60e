"""Cases and their work: start, advance, complete; work items, inboxes and who may see or
work them; agency, cooperation, materials, drafts, comments, withdrawal.

May import: engine.core, engine.models, engine.workdays, engine.runtime, engine.org,
engine.design."""
