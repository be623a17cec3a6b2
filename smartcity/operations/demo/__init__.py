"""Demo data of the integrated platform (never loaded in production)."""
