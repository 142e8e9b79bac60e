"""The casework wing: cases, tasks, agency, materials, the workbench and who may do what."""
