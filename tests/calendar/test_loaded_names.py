"""The names in a loaded schedule (元旦, 调休 …) stay on the record and in the views."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from calendar_support import Org
from dutyloop.calendar_files import read_schedule
from dutyloop.wiring import System
from projections.tables import calendar_loads


def test_names_from_the_file_are_kept(sqlite_system: System, org: Org, schedule_file: Path) -> None:
    sqlite_system.app.load_holiday_schedule(org.admin, read_schedule(schedule_file, 2027), "测试用虚构安排")
    sqlite_system.catch_up()
    with sqlite_system.engine.connect() as conn:
        [names] = [json.loads(r[0]) for r in conn.execute(select(calendar_loads.c.names))]
    assert names["2027-01-01"] == "元旦（虚构）"
    assert names["2027-01-09"] == "虚构调休"
    loaded = sqlite_system.app.calendar().schedule(2027)
    assert loaded is not None and loaded.is_working_day(date(2027, 1, 9))
