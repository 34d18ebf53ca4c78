"""Reading a whole plan file into unsaved model instances, collecting every problem on the way.

Nothing is written here. The database is only read: to find the association by its organisation
number, its members, and a plan of the same year and revision.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from plans.models import Association, DisplayUnit, Member, MemberKind, Plan, PlanStatus
from plans.planfile import errors
from plans.planfile.draft import Draft, ok, value_or
from plans.planfile.export import FORMAT, VERSION
from plans.planfile.read_budget import BudgetReading
from plans.planfile.read_goals import GoalsReading
from plans.planfile.read_organisation import OrganisationReading
from plans.planfile.reader import show
from plans.planfile.schema import (
    ASSOCIATION_FIELDS,
    BUDGET_FIELDS,
    FILE_FIELDS,
    MEMBER_FIELDS,
    PLAN_FIELDS,
    THRESHOLD_FIELDS,
)

THRESHOLD_KEYS = {name: f"thresholds.{name}" for name in THRESHOLD_FIELDS}


def plan_file_read(*, data: Any, replace: bool = False) -> Draft:
    """Return ``data`` read into a ``Draft``; its ``problems`` list everything wrong with it."""
    reading = _PlanFileReader(replace=replace)
    reading.read(data)
    reading.draft.problems = reading.r.problems
    return reading.draft


class _PlanFileReader(OrganisationReading, GoalsReading, BudgetReading):
    def __init__(self, *, replace: bool) -> None:
        super().__init__()
        self.replace = replace

    def read(self, data: Any) -> None:
        r = self.r
        top = r.object(data, "$", FILE_FIELDS)
        if top is None:
            return
        mark = r.mark()
        if "format" not in top:
            r.add("$.format", errors.MISSING)
        elif top["format"] != FORMAT:
            r.add("$.format", errors.UNSUPPORTED_FORMAT.format(value=show(top["format"])))
        if "version" not in top:
            r.add("$.version", errors.MISSING)
        elif isinstance(top["version"], bool) or top["version"] != VERSION:
            r.add("$.version", errors.UNSUPPORTED_VERSION.format(value=show(top["version"])))
        if r.mark() != mark:
            return  # another format or version: its contents would only give misleading problems
        association = r.sub(top, "association", "$", ASSOCIATION_FIELDS, required=True)
        if association is not None:
            self.read_association(association, "$.association")
        plan = r.sub(top, "plan", "$", PLAN_FIELDS, required=True)
        if plan is not None:
            self.read_plan(plan, "$.plan")

    def read_association(self, obj: Any, path: str) -> None:
        r = self.r
        mark = r.mark()
        name = r.text(obj, "name", path, required=True, blank=False)
        org_number = r.text(obj, "org_number", path, required=True, blank=False)
        founded = r.date(obj, "founded", path)
        region = r.text(obj, "region", path)
        vision = r.text(obj, "vision", path)
        thresholds = r.sub(obj, "thresholds", path, THRESHOLD_FIELDS) or {}
        limits = {
            key: r.decimal(
                thresholds,
                key,
                f"{path}.thresholds",
                places=2,
                digits=5,
                default=Association._meta.get_field(key).default,
            )
            for key in THRESHOLD_FIELDS
        }
        association = Association(
            name=value_or(name, ""),
            org_number=value_or(org_number, ""),
            founded=value_or(founded, None),
            region=value_or(region, ""),
            vision=value_or(vision, ""),
            **{key: value_or(value, Decimal(0)) for key, value in limits.items()},
        )
        r.clean(association, path, mark=mark, keys=THRESHOLD_KEYS)

        existing = None
        existing_members: dict[str, Member] = {}
        if ok(org_number):
            existing = Association.objects.filter(org_number=org_number).first()
        if existing is not None:
            if ok(name) and name != existing.name:
                r.add(
                    f"{path}.name",
                    errors.ASSOCIATION_NAME_DIFFERS.format(
                        org_number=org_number, existing=show(existing.name), name=show(name)
                    ),
                )
            existing_members = {member.name: member for member in existing.members.all()}
            association = existing
        self.draft.association = association

        next_order = max((member.order for member in existing_members.values()), default=-1) + 1
        seen: dict[Any, str] = {}
        for item_path, item in r.items(obj, "members", path, required=True):
            mark = r.mark()
            member_obj = r.object(item, item_path, MEMBER_FIELDS)
            if member_obj is None:
                continue
            member_name = r.name(member_obj, "name", item_path, required=True)
            kind = r.choice(member_obj, "kind", item_path, MemberKind.values, required=True)
            if not ok(member_name) or not self.unique(
                seen,
                member_name,
                f"{item_path}.name",
                errors.DUPLICATE_NAME,
                name=show(member_name),
            ):
                continue
            if member_name in existing_members:
                member = existing_members[member_name]
                if ok(kind) and kind != member.kind:
                    r.add(
                        f"{item_path}.kind",
                        errors.MEMBER_KIND_DIFFERS.format(
                            name=show(member_name), existing=member.kind, kind=kind
                        ),
                    )
            else:
                member = Member(
                    association=association,
                    name=member_name,
                    kind=value_or(kind, ""),
                    order=next_order,
                )
                next_order += 1
                r.clean(member, item_path, mark=mark, exclude=["association"])
                self.draft.new_members.append(member)
            self.members[member_name] = member

    # -- the plan -------------------------------------------------------------------------------

    def read_plan(self, obj: Any, path: str) -> None:
        r = self.r
        mark = r.mark()
        year = r.integer(obj, "year", path, required=True)
        revision = r.integer(obj, "revision", path, default=1, low=1, high=32767)
        status = r.choice(obj, "status", path, PlanStatus.values, default=PlanStatus.DRAFT)
        decided_on = r.date(obj, "decided_on", path)
        opening_equity = r.decimal(
            obj, "opening_equity", path, places=2, digits=15, amount=True, default=Decimal("0.00")
        )
        plan = Plan(
            association=self.draft.association,
            year=value_or(year, 0),
            revision=value_or(revision, 1),
            title=value_or(
                r.text(obj, "title", path, default="Verksamhetsplan och budget", blank=False), ""
            ),
            dnr=value_or(r.text(obj, "dnr", path), ""),
            attachment_label=value_or(r.text(obj, "attachment_label", path), ""),
            status=value_or(status, PlanStatus.DRAFT),
            decided_on=value_or(decided_on, None),
            minutes_paragraph=value_or(r.text(obj, "minutes_paragraph", path), ""),
            opening_equity=value_or(opening_equity, Decimal(0)),
            display_unit=value_or(
                r.choice(obj, "display_unit", path, DisplayUnit.values, default=DisplayUnit.KR),
                DisplayUnit.KR,
            ),
            costs_negative=value_or(r.boolean(obj, "costs_negative", path), False),
        )
        r.clean(plan, path, mark=mark, exclude=["association", "revision_of"])
        if status == PlanStatus.APPROVED and decided_on is None:
            r.add(f"{path}.decided_on", errors.APPROVED_WITHOUT_DATE)
        self.draft.plan = plan

        association = self.draft.association
        if association is not None and association.pk is not None and ok(year, revision):
            same_year = list(association.plans.filter(year=year).order_by("revision"))
            existing = next((p for p in same_year if p.revision == revision), None)
            if existing is not None and existing.status == PlanStatus.APPROVED:
                r.add(path, errors.APPROVED_NOT_REPLACEABLE)
            elif existing is not None and not self.replace:
                r.add(path, errors.PLAN_EXISTS.format(year=year, revision=revision))
            elif existing is not None:
                self.draft.replaces = existing
            else:
                earlier = [p for p in same_year if p.revision < revision]
                self.draft.revision_of = earlier[-1] if earlier else None

        self.read_shares(obj, path)
        self.read_board(obj, path)
        self.read_staff(obj, path)
        self.read_groups(obj, path)
        self.read_projects(obj, path)
        self.read_sections(obj, path)
        self.read_timetable(obj, path)
        self.read_goal_areas(obj, path)
        budget = r.sub(obj, "budget", path, BUDGET_FIELDS)
        if budget is not None:
            self.read_budget(budget, f"{path}.budget")
