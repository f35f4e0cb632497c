"""The JSON API's reads and its description: the OpenAPI document is valid and served with its
documentation pages from the package alone, and each read answers what the pages and the CLI
answer, limited to what the caller may see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from uuid import UUID

import pytest
from openapi_spec_validator import validate

from api_world import ApiWorld, build_api_world
from dutyloop.settings import Settings
from projections import deadline_queries


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("api-reads")))
    yield built
    built.client.close()
    built.system.close()


def test_the_openapi_document_is_valid_and_describes_errors_and_tokens(world: ApiWorld) -> None:
    document = world.client.get("/openapi.json").json()
    validate(document)
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    sign = document["paths"]["/api/v1/tasks/{task_id}/sign"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(sign["responses"])
    assert "ApiError" in document["components"]["schemas"]
    assert not any(path in document["paths"] for path in ("/", "/login", "/docs", "/calendar/feed")), "pages are not API"


def test_the_documentation_loads_nothing_from_the_internet(world: ApiWorld) -> None:
    response = world.client.get("/docs")
    assert response.status_code == 200
    assert not re.search(r"(src|href)=\"(https?:)?//", response.text), response.text
    assert "'self'" in response.headers["content-security-policy"]
    assets = re.findall(r"(?:src|href)=\"(/[^\"]+)\"", response.text)
    assert len(assets) == 4, assets
    for asset in assets:
        loaded = world.client.get(asset)
        assert loaded.status_code == 200 and len(loaded.content) > 100, asset
    bundle = world.client.get("/api/docs/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert world.client.get("/api/docs/../app.py").status_code == 404


def test_my_work_lists_my_tasks_and_their_warnings(world: ApiWorld) -> None:
    task = world.task("signed")
    work = world.get("secretary", "/api/v1/my-work?day=2026-07-30").json()
    assert work["today"] == "2026-07-30"
    assert str(task) in {t["task_id"] for t in work["tasks"]}
    (warning,) = [w for w in work["warnings"] if w["id"] == str(task)]
    assert warning["level"] == "due_soon" and warning["working_days_left"] == 1
    overdue = world.get("secretary", "/api/v1/my-work?day=2026-09-30").json()
    assert {w["level"] for w in overdue["warnings"] if w["id"] == str(task)} == {"seriously_overdue"}
    assert world.get("other_secretary", "/api/v1/my-work?day=2026-09-30").json()["warnings"] == []


def test_warnings_as_of_a_day_match_the_views(world: ApiWorld) -> None:
    world.task()
    day = date(2026, 8, 3)
    with world.system.engine.connect() as conn:
        expected = {(r["id"], r["level"]) for r in deadline_queries.warnings(conn, day)}
    answered = {(UUID(w["id"]).hex, w["level"]) for w in world.get("admin", f"/api/v1/warnings?day={day}").json()}
    assert answered == expected and answered
    assert world.get("admin", "/api/v1/warnings?day=2026-02-30").status_code == 422


def test_board_chains_trail_meetings_and_status(world: ApiWorld) -> None:
    rect = world.rectification()
    board = world.get("committee_secretary", "/api/v1/board").json()
    rows = {row["name"]: row for row in board["branches"]}
    assert rows["办公室党支部"]["rectifications_open"] >= 1 and "财务部党支部" in rows
    chains = world.get("discipline", "/api/v1/chains").json()
    assert str(rect) in {c["rectification_id"] for c in chains}
    assert world.get("other_secretary", "/api/v1/chains").json() == []
    assert world.get("other_secretary", f"/api/v1/chains/{rect}").status_code == 403
    trail = world.get("discipline", f"/api/v1/trail?entity_id={rect}").json()
    assert [t["event_type"] for t in trail] == ["RectificationOpened"]
    assert world.get("other_secretary", f"/api/v1/trail?entity_id={rect}").json() == []
    meeting = world.planned_meeting()
    assert str(meeting) in {m["meeting_id"] for m in world.get("worker", "/api/v1/meetings").json()}
    status = world.get("admin", "/api/v1/status?lang=en").json()
    assert status["events"] == world.head() and {v["lag"] for v in status["views"]} == {0}
    assert status["calendar_warning"] is None
    clock = world.system.clock
    june = clock.now()
    clock.set(datetime(2026, 11, 2, 9, 0))
    try:
        november = world.get("admin", "/api/v1/status?lang=en").json()
    finally:
        clock.set(june)
    assert "The 2027 holiday schedule has not been loaded" in november["calendar_warning"]
