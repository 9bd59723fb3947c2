"""Flower, the Celery monitor, pointed at Turnout's app (see docs/monitoring.md)."""
