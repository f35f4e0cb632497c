"""述责 · 述职评议: the branch secretary's yearly report on both accounts (业务账 and 党建账), graded by
reviewers, published, recalled or corrected."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

from domain.commands.checks import person_uuid, required
from domain.commands.core import Actor, CommandCore, command
from domain.context import Context
from domain.errors import NotPermitted
from domain.ranges import YEAR
from domain.review import AnnualReview, parse_mark, review_id
from domain.vocabulary import Role


class Reviews(CommandCore):
    @command
    def file_review_report(self, actor: Actor, org_id: UUID, year: int, business_account: str, party_account: str) -> UUID:
        """述职: the branch secretary reports on both accounts, once a year."""
        ctx = self.context(actor)
        self._branch(org_id)
        if ctx.actor.startswith("system:"):
            raise NotPermitted(ctx.who.describe(), "file_review", "reason_not_secretary")
        secretary = self.person(person_uuid(ctx.actor))
        ctx.require(secretary.has_role(Role.BRANCH_SECRETARY, org_id), "file_review", "reason_not_secretary")
        review = AnnualReview(
            id=review_id(org_id, year), year=YEAR.check("year", year), org_id=org_id, secretary_id=secretary.id,
            business_account=required(business_account, "business_account"),
            party_account=required(party_account, "party_account"), **ctx.stamp(),
        )
        self._save_new(review, what="review", key=f"{year} {self.organisation(org_id).name}")
        return review.id

    def review(self, review_id_: UUID) -> AnnualReview:
        return self.get(AnnualReview, review_id_, "review")

    def _on_review(self, actor: Actor, review_id_: UUID, act: Callable[[AnnualReview, Context], None]) -> None:
        self._act_on(actor, AnnualReview, "review", review_id_, None, act)

    @command
    def grade_review(
        self, actor: Actor, review_id_: UUID, grade: str | None = None, score: str | Decimal | None = None, comment: str = ""
    ) -> None:
        """评议: a reviewer gives a grade (好/较好/一般/差) or a score that the bands map to one."""
        value, chosen = parse_mark(grade, score)
        self._on_review(actor, review_id_, lambda r, c: r.mark(value, chosen, comment, c))

    @command
    def publish_review(self, actor: Actor, review_id_: UUID) -> None:
        self._on_review(actor, review_id_, lambda r, c: r.publish(c))

    @command
    def recall_review(self, actor: Actor, review_id_: UUID, reason: str) -> None:
        self._on_review(actor, review_id_, lambda r, c: r.recall(reason, c))

    @command
    def correct_review(
        self, actor: Actor, review_id_: UUID, reason: str, grade: str | None = None, score: str | Decimal | None = None
    ) -> None:
        value, chosen = parse_mark(grade, score)
        self._on_review(actor, review_id_, lambda r, c: r.correct(value, chosen, reason, c))
