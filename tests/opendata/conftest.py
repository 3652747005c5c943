import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_rate_counts():
    """Rate-limit counts live in the (local-memory) cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
