"""Prefect flows: thin wrappers that call the library in qantara/ as tasks."""
