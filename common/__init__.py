"""Helpers shared by every app: export writing, text and date hygiene, link validation."""
