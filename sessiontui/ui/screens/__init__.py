"""Screens of the tracker: the main view, the clock view and the help screen."""
