"""Bundled sample sources: seeded generators true to each source's real format, served on 127.0.0.1."""
