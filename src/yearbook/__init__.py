"""yearbook: a reproducible statistical yearbook of a district Party committee."""

__version__ = "0.1.0"
