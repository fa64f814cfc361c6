"""sessiontui.exporters."""
