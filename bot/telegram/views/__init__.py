"""HTML and inline keyboards per feature: what the user sees, built from plain records."""
