"""Widgets of the tracker: the agenda tree, the item panel, the top bar and the journal."""
