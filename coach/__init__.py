"""coach: a sales-coaching conversation simulator for the terminal."""

__version__ = "0.1.0"
