"""``python -m bench.search --events N [--postgres URL]``: the latency of full-text search and of
the task list page at this size, beside the baseline measured in the same run: the same words
found by scanning every text (``LIKE '%word%'``), which is what the index saves.

Prints median and p95 per query in ms; the target is p95 < 100 ms for search and for the list.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select

from bench.__main__ import _clean_up, _latency
from bench.generate import generate
from domain.clock import ManualClock
from dutyloop.settings import Settings
from dutyloop.wiring import open_system
from projections.search import fold, search_docs
from projections.search_queries import search
from projections.task_finder import Seeing, TaskFilter, find_tasks

WORDS = ("整改", "党课", "台账", "三会一课", "专项任务", "PPT", "记录 缺失")
TODAY = date(2026, 11, 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=args.postgres,
                            postgres_schema=f"bench_search_{uuid.uuid4().hex[:8]}" if args.postgres else None)
        clock = ManualClock(datetime(2025, 1, 6, 9))
        system = open_system(settings, clock)
        began = time.perf_counter()
        summary = generate(system.app, clock, args.events)
        system.catch_up()
        events = system.views.head()
        print(f"\nsearch bench on {system.engine.dialect.name}: {events:,} events ({time.perf_counter() - began:.0f} s to build)")
        branch = summary.branches[0]
        everyone = Seeing("")
        secretary = Seeing(summary.people.secretaries[branch].hex, frozenset({branch.hex}))
        with system.engine.connect() as conn:
            texts = conn.execute(select(func.count()).select_from(search_docs)).scalar_one()
            print(f"{texts:,} texts indexed")
            print(f"{'query':28} {'hits':>8} {'median ms':>10} {'p95 ms':>8} {'LIKE scan p95':>14} {'ratio':>6} {'p95<100':>8}")
            for word in WORDS:
                for who, seeing in (("all", everyone), ("secretary", secretary)):
                    hits = search(conn, word, seeing).total
                    median, p95 = _latency(lambda s=seeing, w=word: search(conn, w, s), repeat=20)
                    scan = _latency(lambda w=word: conn.execute(
                        select(func.count()).select_from(search_docs).where(*(search_docs.c.folded.like(f"%{p}%") for p in fold(w).split()))
                    ).scalar_one(), repeat=5)[1]
                    print(f"{word + ' (' + who + ')':28} {hits:>8,} {median:>10.1f} {p95:>8.1f} {scan:>14.1f} {scan / p95:>6.1f} {'yes' if p95 < 100 else 'no':>8}")
            for name, wanted in (
                ("task list, first page", TaskFilter()),
                ("task list, branch + open", TaskFilter(org_id=branch.hex, statuses=("issued", "signed", "in_progress", "returned"))),
                ("task list, overdue", TaskFilter(levels=("overdue", "seriously_overdue"))),
                ("task list, page 50", TaskFilter(page=50)),
            ):
                median, p95 = _latency(lambda f=wanted: find_tasks(conn, f, everyone, TODAY), repeat=20)
                print(f"{name:28} {find_tasks(conn, wanted, everyone, TODAY).total:>8,} {median:>10.1f} {p95:>8.1f} {'':>14} {'':>6} {'yes' if p95 < 100 else 'no':>8}")
        system.close()
        _clean_up(args, Path(tmp), [settings])


if __name__ == "__main__":
    main()
