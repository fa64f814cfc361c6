"""The web side of ``sessiontui serve``: who may come in, the tracker tabs, the room view."""
