"""Local services for the demo, the UI and the tests: embedded PostgreSQL and the simulator."""
