"""Fetching, reshaping and validating platform rows; the assets call into here."""
