"""Compose add-ons: overrides, a multi-host example and the worker container healthcheck."""
