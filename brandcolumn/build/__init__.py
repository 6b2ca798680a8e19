"""The build's steps (pipeline.py), run by every command that builds, and what the preview's
in-place updates need besides them (inplace.py)."""
