"""onething engine: deployments, cases, work items, jobs and audit on SpiffWorkflow."""
