"""Make docs/tracker.svg: the tracker on the model meeting, 2(a) on the floor, frozen clock."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_ui_snapshots import meeting_in_progress  # noqa: E402


async def main(target: Path) -> None:
    """Run the app headless and save one screenshot."""
    with tempfile.TemporaryDirectory() as folder:
        app = meeting_in_progress(Path(folder))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            app.jump_to("2a")
            await pilot.pause()
            app.save_screenshot(filename=target.name, path=str(target.parent))


if __name__ == "__main__":
    asyncio.run(main(ROOT / "docs" / "tracker.svg"))
