"""sessiontui: a terminal tracker for the record of formal meetings."""

__version__ = "0.1.0"
