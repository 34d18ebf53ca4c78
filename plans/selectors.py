"""Reads of plans for pages: who may see which plan, and everything a plan document describes.

``plan_document_rows`` fetches a plan's organisation, projects, prose, timetable and goals in
``PLAN_DOCUMENT_QUERIES`` queries, however many rows the plan has. The budget figures come from
``budget.selectors.plan_summary``, which has its own fixed count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from finsam.roles import scope_to_user
from goals.models import Goal, GoalArea, Target
from plans.models import (
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Plan,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# shares, board, staff, groups, group people, projects, sections, timetable, goal areas, goals,
# targets.
PLAN_DOCUMENT_QUERIES = 11


def plans_for_user(*, user: User) -> QuerySet[Plan]:
    """Return the plans of the associations where ``user`` has a role, newest first."""
    return scope_to_user(Plan.objects.select_related("association"), user).order_by(
        "association__name", "-year", "-revision"
    )


def plan_for_user(*, user: User, plan_id: int) -> Plan:
    """Return the plan with ``plan_id`` if ``user`` may read it; raise Http404 otherwise.

    A plan of another association answers exactly like a plan that does not exist.
    """
    return get_object_or_404(plans_for_user(user=user), pk=plan_id)


@dataclass(frozen=True)
class PlanDocumentRows:
    """Everything a plan describes besides its budget, in display order."""

    shares: tuple[ContributionShare, ...]
    board: tuple[BoardSeat, ...]
    staff: tuple[StaffMember, ...]
    groups: tuple[Group, ...]  # each with ``people`` prefetched
    projects: tuple[Project, ...]
    sections: tuple[Section, ...]
    timetable: tuple[TimetableEntry, ...]
    goal_areas: tuple[GoalArea, ...]  # with ``goals`` and their ``targets`` prefetched


def plan_document_rows(*, plan: Plan) -> PlanDocumentRows:
    """Return the rows of ``plan``'s document in ``PLAN_DOCUMENT_QUERIES`` queries."""
    people = GroupMember.objects.select_related("member").order_by("order", "id")
    targets = Target.objects.select_related("project").order_by("order", "id")
    goals = Goal.objects.order_by("order", "id").prefetch_related(
        Prefetch("targets", queryset=targets)
    )
    return PlanDocumentRows(
        shares=tuple(
            ContributionShare.objects.filter(plan=plan)
            .select_related("member")
            .order_by("member__order", "member_id")
        ),
        board=tuple(
            BoardSeat.objects.filter(plan=plan)
            .select_related("member")
            .order_by("member__order", "member_id", "-role")
        ),
        staff=tuple(StaffMember.objects.filter(plan=plan).order_by("order", "id")),
        groups=tuple(
            Group.objects.filter(plan=plan)
            .order_by("order", "id")
            .prefetch_related(Prefetch("people", queryset=people))
        ),
        projects=tuple(Project.objects.filter(plan=plan).order_by("order", "id")),
        sections=tuple(Section.objects.filter(plan=plan).order_by("order", "id")),
        timetable=tuple(
            TimetableEntry.objects.filter(plan=plan).order_by("year", "month", "order", "id")
        ),
        goal_areas=tuple(
            GoalArea.objects.filter(plan=plan)
            .order_by("order", "id")
            .prefetch_related(Prefetch("goals", queryset=goals))
        ),
    )
