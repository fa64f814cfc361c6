"""sessiontui.importers."""
