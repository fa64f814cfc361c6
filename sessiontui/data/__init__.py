"""Data shipped with sessiontui: the register of UN Member States and their groups."""
