"""Every view an administrator sees in ``status`` and on the audit page has a name in Chinese:
a view added later without one would show its internal name there."""

from __future__ import annotations

from domain.vocabulary import SYSTEM_LABELS
from projections.runner import VIEW_CLASSES


def test_every_view_has_a_chinese_name() -> None:
    unnamed = [cls.name for cls in VIEW_CLASSES if cls.name not in SYSTEM_LABELS]
    assert unnamed == []
