"""`build.py deploy`: publishing output/ to the targets named in site.yml (see deploy.py)."""
