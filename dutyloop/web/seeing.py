"""What a person may see in a list or a search, as a filter the database applies: the pages'
own rule (``Viewer.may_view``) asked once per organisation instead of once per row — and once
per state of the person and the organisations, not on every request: at a thousand
organisations the rule took most of the search page's time."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from sqlalchemy import Connection, func, select

from dutyloop.web.deps import Viewer
from projections.tables import organisations
from projections.task_finder import Seeing, seeing

REMEMBERED = 256
"""People whose last answer is kept (per process)."""

_answers: OrderedDict[tuple[str, int, int], Seeing] = OrderedDict()
_lock = Lock()


def seeing_of(conn: Connection, viewer: Viewer) -> Seeing:
    if viewer.is_admin:
        return Seeing(viewer.hex)
    # The rule reads the person (roles, 责任田, liaison branches: their version) and the
    # organisations' tree (parents never change, organisations are never removed: their count).
    key = (viewer.hex, viewer.authority.person.version, conn.execute(select(func.count()).select_from(organisations)).scalar_one())
    with _lock:
        known = _answers.get(key)
        if known is not None:
            _answers.move_to_end(key)
            return known
    answer = seeing(conn, viewer.hex, False, viewer.authority.may_read)
    with _lock:
        _answers[key] = answer
        while len(_answers) > REMEMBERED:
            _answers.popitem(last=False)
    return answer
