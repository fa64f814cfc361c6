"""``python -m sessiontui``."""

from sessiontui.cli import main

if __name__ == "__main__":
    main()
