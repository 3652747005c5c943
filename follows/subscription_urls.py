"""Filled in by its part of issue #16."""

urlpatterns: list = []
