"""PostgreSQL storage: connections, migrations and the polars IO manager."""
