"""The escalation ladder's arithmetic and its rungs in a deeper organisation."""

from __future__ import annotations

from scheduler.ladder import Directory, current_step, steps


def directory() -> Directory:
    """company committee ← branch ← temporary branch (a construction project)."""
    parents = {"committee": None, "branch": "committee", "project": "branch"}
    holders = {
        ("committee", "committee_secretary"): ["leader"],
        ("committee", "discipline"): ["inspector"],
        ("branch", "branch_secretary"): ["branch-secretary"],
        ("project", "branch_secretary"): ["project-secretary"],
    }
    return Directory(parents, holders)


def test_a_deeper_organisation_has_a_longer_ladder_and_the_last_grace_repeats() -> None:
    ladder = directory().ladder("project", "worker")
    assert ladder == [("project-secretary",), ("branch-secretary",), ("leader",), ("inspector",)]
    assert [(s.number, s.threshold) for s in steps(ladder, 5, (2, 3))] == [(1, 7), (2, 10), (3, 13), (4, 16)]
    assert current_step(ladder, 5, (2, 3), 6) is None
    assert current_step(ladder, 5, (2, 3), 12).recipients == ("branch-secretary",)  # type: ignore[union-attr]
    assert current_step(ladder, 5, (2, 3), 40).recipients == ("inspector",)  # type: ignore[union-attr]


def test_the_owner_is_not_escalated_to_and_a_rung_is_never_repeated() -> None:
    assert directory().ladder("project", "project-secretary") == [("branch-secretary",), ("leader",), ("inspector",)]
    assert directory().ladder("committee", "leader") == [("inspector",)]
