"""Models: filled by later issues."""
