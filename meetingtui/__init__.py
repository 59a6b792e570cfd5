"""meetingtui: run public meetings from the keyboard, with every idea on one standard form."""

__version__ = "0.1.0"
