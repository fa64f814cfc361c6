"""Modal dialogs of the tracker: note editor, speaker, export, identity, pickers."""
