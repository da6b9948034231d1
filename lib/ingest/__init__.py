"""Getting figures in: reading uploaded CSV/Excel files, validating, diffing, writing one batch,
undoing it, the upload templates and the shipped seed. Imports lib.core and lib.store."""
