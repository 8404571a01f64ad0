"""Tooling that builds the docs from the real product: ``python -m docs.screenshots``."""
