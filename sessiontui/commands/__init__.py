"""Click commands, one module per feature, registered lazily in ``sessiontui.cli``."""
