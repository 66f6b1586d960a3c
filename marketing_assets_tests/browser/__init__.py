"""The Dagster UI driven in Debian's Chromium against `dagster dev` on 127.0.0.1."""
