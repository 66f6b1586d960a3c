"""Euro foreign-exchange reference rates, for spend in each client's reporting currency."""
