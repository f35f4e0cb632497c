"""履责 as a board: every meeting and every task with its current status and deadlines."""

from __future__ import annotations

from typing import Any

import orjson

from projections.batch import Batch
from projections.tables import branch_counts, meeting_attendees, meetings, task_followers, tasks
from projections.view import View, day, hx, moment, to_json


class TaskBoardView(View):
    name = "tasks"
    cost = 20
    tables = (meetings, tasks, branch_counts, task_followers, meeting_attendees)

    def wants(self, event: Any) -> list[Any]:
        kind = event.aggregate_type
        if kind == "Task":
            wanted = [] if event.event_type == "TaskIssued" else [(tasks, (event.originator_id,))]
            if event.event_type == "TaskIssued" and event.meeting_id:
                wanted.append((meetings, (hx(event.meeting_id),)))
            return wanted
        if kind == "Meeting" and event.event_type != "MeetingPlanned":
            return [(meetings, (hx(event.originator_id),))]
        return []

    def on_MeetingPlanned(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(meetings, {
            "meeting_id": hx(e.originator_id), "kind": e.kind, "org_id": hx(e.org_id), "title": e.title,
            "planned_on": day(e.planned_on), "held_on": None, "attendees": 0, "decisions": "[]",
            "tasks_issued": 0,
        })

    def on_MeetingMinutesRecorded(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(
            meetings, hx(e.originator_id), held_on=day(e.on), attendees=len(e.attendee_ids),
            decisions=to_json(e.decisions),
        )
        for person in e.attendee_ids:
            batch.put(meeting_attendees, {"person_id": hx(person), "meeting_id": hx(e.originator_id)})

    def on_TaskIssued(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(tasks, {
            "task_id": hx(e.originator_id), "title": e.title, "requirements": e.requirements, "status": "issued",
            "org_id": hx(e.org_id), "owner_id": hx(e.owner_id), "issued_by": hx(e.actor), "reviewer_id": hx(e.actor),
            "issued_on": day(e.on),
            "deadline": day(e.deadline), "original_deadline": day(e.deadline), "deadline_rule": e.deadline_rule,
            "meeting_id": hx(e.meeting_id), "parent_task_id": hx(e.parent_task_id), "task_list_id": hx(e.task_list_id),
            "list_item_id": hx(e.list_item_id), "report_cycle": e.report_cycle, "last_progress_on": None,
            "reported_done_on": None, "accepted_on": None, "pending_extension": None, "return_count": 0,
            "followers": to_json([hx(f) for f in e.follower_ids]), "version": e.originator_version,
            "updated_at": moment(e.timestamp),
        })
        for follower in e.follower_ids:
            batch.put(task_followers, {"person_id": hx(follower), "task_id": e.originator_id})
        if e.meeting_id is not None:
            meeting = batch.get(meetings, hx(e.meeting_id))
            if meeting is not None:
                batch.update(meetings, hx(e.meeting_id), tasks_issued=meeting["tasks_issued"] + 1)

    def _task(self, batch: Batch, e: Any, **changes: Any) -> dict[str, Any] | None:
        return batch.update(
            tasks, hx(e.originator_id), version=e.originator_version, updated_at=moment(e.timestamp), **changes
        )

    def on_TaskSignedFor(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, status="signed")

    def on_TaskProgressReported(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, status="in_progress", last_progress_on=day(e.on))

    def on_TaskReportedDone(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, status="reported_done", reported_done_on=day(e.on))

    def on_TaskAccepted(self, batch: Batch, nid: int, e: Any) -> None:
        """Accepted work is counted per branch as it happens, so the board need not scan every
        finished task: on time when the accepted report came by the deadline in force."""
        row = self._task(batch, e, status="accepted", accepted_on=day(e.on))
        if row is None:
            return
        on_time = row["reported_done_on"] is not None and row["reported_done_on"] <= row["deadline"]
        counts = batch.get(branch_counts, row["org_id"]) or {"org_id": row["org_id"], "done_on_time": 0, "done_late": 0}
        key = "done_on_time" if on_time else "done_late"
        batch.put(branch_counts, {**counts, key: counts[key] + 1})

    def on_TaskReturned(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(tasks, hx(e.originator_id))
        if row is not None:
            self._task(batch, e, status="returned", reported_done_on=None, return_count=row["return_count"] + 1)

    def on_TaskDeadlineExtensionRequested(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, pending_extension=day(e.requested_deadline))

    def on_TaskDeadlineExtended(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, deadline=day(e.deadline), pending_extension=None)

    def on_TaskDeadlineExtensionRefused(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, pending_extension=None)

    def on_TaskCancelled(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, status="cancelled", pending_extension=None)

    def on_TaskUrged(self, batch: Batch, nid: int, e: Any) -> None:
        """An urge or a comment changes nothing shown but the version a form must quote."""
        self._task(batch, e)

    def on_TaskCommented(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e)

    def on_TaskReassigned(self, batch: Batch, nid: int, e: Any) -> None:
        """转办: the list, the warnings and the reminders follow the new owner from here on."""
        row = batch.get(tasks, hx(e.originator_id))
        if row is None:
            return
        followers = [f for f in orjson.loads(row["followers"]) if f != hx(e.owner_id)]
        if len(followers) != len(orjson.loads(row["followers"])):
            batch.delete(task_followers, hx(e.owner_id), e.originator_id)
        self._task(batch, e, org_id=hx(e.org_id), owner_id=hx(e.owner_id), status="issued", followers=to_json(followers))

    def on_TaskBrokenDown(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e)

    def on_TaskFollowed(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(tasks, hx(e.originator_id))
        if row is not None:
            self._task(batch, e, followers=to_json([*orjson.loads(row["followers"]), hx(e.person_id)]))
            batch.put(task_followers, {"person_id": hx(e.person_id), "task_id": e.originator_id})

    def on_TaskHandedOver(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(tasks, hx(e.originator_id))
        if row is not None:
            followers = [f for f in orjson.loads(row["followers"]) if f != hx(e.owner_id)]
            self._task(batch, e, owner_id=hx(e.owner_id), followers=to_json(followers))
            batch.delete(task_followers, hx(e.owner_id), e.originator_id)

    def on_TaskReviewHandedOver(self, batch: Batch, nid: int, e: Any) -> None:
        self._task(batch, e, reviewer_id=hx(e.reviewer_id))

    def on_TaskFollowingHandedOver(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(tasks, hx(e.originator_id))
        if row is not None:
            followers = [f for f in orjson.loads(row["followers"]) if f != hx(e.from_follower_id)]
            batch.delete(task_followers, hx(e.from_follower_id), e.originator_id)
            if hx(e.follower_id) not in followers and hx(e.follower_id) != row["owner_id"]:
                followers.append(hx(e.follower_id))
                batch.put(task_followers, {"person_id": hx(e.follower_id), "task_id": e.originator_id})
            self._task(batch, e, followers=to_json(followers))

    def on_TaskUnfollowed(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(tasks, hx(e.originator_id))
        if row is not None:
            remaining = [f for f in orjson.loads(row["followers"]) if f != hx(e.person_id)]
            self._task(batch, e, followers=to_json(remaining))
            batch.delete(task_followers, hx(e.person_id), e.originator_id)
