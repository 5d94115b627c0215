"""Source clients and pure payload parsers. No Dagster here: these are plain, unit-tested Python."""
