"""The designer's wing: bundles, deployments, the studio, guides."""
