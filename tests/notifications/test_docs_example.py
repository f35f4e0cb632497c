"""docs/notifications.md shows the reminder exactly as the templates render it (ids aside)."""

from __future__ import annotations

from render_example import documented, example, masked


def test_the_documented_reminder_is_what_the_templates_render() -> None:
    assert masked(documented()) == masked(example()), "run: python tests/notifications/render_example.py --write"
