"""Software-defined assets: raw landing per platform and the unified hourly table."""
