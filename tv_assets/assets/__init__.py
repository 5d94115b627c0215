"""Software-defined assets: fetch (source -> lake), load (lake -> warehouse raw), dbt (staging, marts)."""
