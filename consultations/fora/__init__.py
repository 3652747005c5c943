"""Fora (roundtables): see docs/fora.md."""
