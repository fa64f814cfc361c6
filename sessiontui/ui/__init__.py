"""sessiontui.ui."""
