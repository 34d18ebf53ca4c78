"""The state of reading one plan file: what has been read so far, and the references it may name.

``Draft`` holds the unsaved instances in the order they are written. ``Reading`` is the base of the
readers of each part of the file (``read_organisation``, ``read_goals``, ``read_budget``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from budget.models import BudgetAmount, BudgetColumn, BudgetGroup, BudgetLine
from goals.models import Goal, GoalArea, Outcome, Target
from plans.models import (
    Association,
    BoardSeat,
    ContributionShare,
    Group,
    GroupMember,
    Member,
    Plan,
    Project,
    Section,
    StaffMember,
    TimetableEntry,
)
from plans.planfile import errors
from plans.planfile.errors import Problem
from plans.planfile.reader import INVALID, Reader, show


@dataclass
class Draft:
    """A plan file read into unsaved instances, in the order they are written."""

    association: Association | None = None
    new_members: list[Member] = field(default_factory=list)
    plan: Plan | None = None
    replaces: Plan | None = None  # the existing plan of the same year and revision
    revision_of: Plan | None = None
    shares: list[ContributionShare] = field(default_factory=list)
    seats: list[BoardSeat] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    people: list[GroupMember] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    timetable: list[TimetableEntry] = field(default_factory=list)
    areas: list[GoalArea] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    columns: list[BudgetColumn] = field(default_factory=list)
    budget_groups: list[BudgetGroup] = field(default_factory=list)
    lines: list[BudgetLine] = field(default_factory=list)  # lines before the sub-lines
    sub_lines: list[BudgetLine] = field(default_factory=list)
    amounts: list[BudgetAmount] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def ok(*values: Any) -> bool:
    return all(value is not INVALID for value in values)


def value_or(value: Any, default: Any) -> Any:
    return default if value is INVALID else value


class Reading:
    """Reads parts of a plan file into ``draft``; ``r`` collects the problems."""

    def __init__(self) -> None:
        self.r = Reader()
        self.draft = Draft()
        self.members: dict[str, Member] = {}
        self.projects: dict[str, Project] = {}
        self.columns: dict[str, BudgetColumn] = {}

    # -- references -----------------------------------------------------------------------------

    def member(self, obj: Any, key: str, path: str, *, required: bool = False) -> Any:
        name = self.r.name(obj, key, path, required=required)
        if name is INVALID or name is None:
            return name
        if name not in self.members:
            self.r.add(f"{path}.{key}", errors.UNKNOWN_MEMBER.format(name=show(name)))
            return INVALID
        return self.members[name]

    def project(self, obj: Any, key: str, path: str) -> Any:
        name = self.r.name(obj, key, path)
        if name is INVALID or name is None:
            return name
        if name not in self.projects:
            self.r.add(f"{path}.{key}", errors.UNKNOWN_PROJECT.format(name=show(name)))
            return INVALID
        return self.projects[name]

    def unique(
        self, seen: dict[Any, str], key: Any, path: str, message: str, **kwargs: Any
    ) -> bool:
        """Record ``key`` as seen at ``path``; if it was seen before, add ``message`` and say so."""
        if key in seen:
            self.r.add(path, message.format(first=seen[key], **kwargs))
            return False
        seen[key] = path.rsplit(".", 1)[0]  # the item, not its field
        return True

    def check_period(self, start: Any, end: Any, path: str) -> None:
        if start and end and end < start:
            self.r.add(path, errors.ENDS_BEFORE_START.format(start=start.isoformat()))
