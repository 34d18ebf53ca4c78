"""Reading the plan's organisation: shares, board, office, groups, projects, prose, timetable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from plans.models import (
    BoardSeat,
    ContributionShare,
    Group,
    GroupKind,
    GroupMember,
    Project,
    ProjectKind,
    ProjectStatus,
    SeatPosition,
    SeatRole,
    Section,
    StaffMember,
    TimetableEntry,
)
from plans.planfile import errors
from plans.planfile.draft import Reading, ok, value_or
from plans.planfile.reader import INVALID, show, swedish_number
from plans.planfile.schema import (
    GROUP_FIELDS,
    PERSON_FIELDS,
    PROJECT_FIELDS,
    SEAT_FIELDS,
    SECTION_FIELDS,
    SHARE_FIELDS,
    STAFF_FIELDS,
    TIMETABLE_FIELDS,
)


class OrganisationReading(Reading):
    def read_shares(self, obj: Any, path: str) -> None:
        r = self.r
        seen: dict[Any, str] = {}
        total = Decimal(0)
        complete = True
        items = r.items(obj, "shares", path)
        for item_path, item in items:
            mark = r.mark()
            share_obj = r.object(item, item_path, SHARE_FIELDS)
            if share_obj is None:
                complete = False
                continue
            member = self.member(share_obj, "member", item_path, required=True)
            pct = r.decimal(share_obj, "share_pct", item_path, places=6, digits=9, required=True)
            if ok(member) and not self.unique(
                seen,
                member.name,
                f"{item_path}.member",
                errors.DUPLICATE_SHARE,
                name=show(member.name),
            ):
                member = INVALID
            if ok(pct):
                total += pct
            else:
                complete = False
            share = ContributionShare(
                plan=self.draft.plan, member=value_or(member, None), share_pct=value_or(pct, 0)
            )
            r.clean(share, item_path, mark=mark, exclude=["plan", "member"])
            self.draft.shares.append(share)
        if items and complete and total != 100:
            r.add(f"{path}.shares", errors.SHARES_NOT_100.format(total=swedish_number(total)))

    def read_board(self, obj: Any, path: str) -> None:
        r = self.r
        seen: dict[Any, str] = {}
        chair: dict[Any, str] = {}
        for item_path, item in r.items(obj, "board", path):
            mark = r.mark()
            seat_obj = r.object(item, item_path, SEAT_FIELDS)
            if seat_obj is None:
                continue
            member = self.member(seat_obj, "member", item_path, required=True)
            role = r.choice(seat_obj, "role", item_path, SeatRole.values, required=True)
            person = r.text(seat_obj, "person", item_path, required=True)
            position = r.choice(seat_obj, "position", item_path, SeatPosition.values)
            term_start = r.date(seat_obj, "term_start", item_path)
            term_end = r.date(seat_obj, "term_end", item_path)
            if ok(member, role):
                self.unique(
                    seen,
                    (member.name, role),
                    f"{item_path}.role",
                    errors.DUPLICATE_SEAT,
                    name=show(member.name),
                    role=SeatRole(role).label,
                )
            if position == SeatPosition.CHAIR:
                self.unique(chair, "chair", f"{item_path}.position", errors.DUPLICATE_CHAIR)
            if ok(position, role) and position and role != SeatRole.ORDINARY:
                r.add(f"{item_path}.position", errors.OFFICER_NOT_ORDINARY)
            self.check_period(term_start, term_end, f"{item_path}.term_end")
            seat = BoardSeat(
                plan=self.draft.plan,
                member=value_or(member, None),
                role=value_or(role, ""),
                person=value_or(person, ""),
                position=value_or(position, ""),
                term_start=value_or(term_start, None),
                term_end=value_or(term_end, None),
            )
            r.clean(seat, item_path, mark=mark, exclude=["plan", "member"])
            self.draft.seats.append(seat)

    def read_staff(self, obj: Any, path: str) -> None:
        r = self.r
        for order, (item_path, item) in enumerate(r.items(obj, "staff", path)):
            mark = r.mark()
            staff_obj = r.object(item, item_path, STAFF_FIELDS)
            if staff_obj is None:
                continue
            person = StaffMember(
                plan=self.draft.plan,
                name=value_or(r.text(staff_obj, "name", item_path), ""),
                role=value_or(r.text(staff_obj, "role", item_path, required=True), ""),
                fte=value_or(
                    r.decimal(staff_obj, "fte", item_path, places=2, digits=4, nullable=True),
                    None,
                ),
                employer=value_or(r.text(staff_obj, "employer", item_path), ""),
                order=order,
            )
            r.clean(person, item_path, mark=mark, exclude=["plan"])
            self.draft.staff.append(person)

    def read_groups(self, obj: Any, path: str) -> None:
        r = self.r
        seen: dict[Any, str] = {}
        for order, (item_path, item) in enumerate(r.items(obj, "groups", path)):
            mark = r.mark()
            group_obj = r.object(item, item_path, GROUP_FIELDS)
            if group_obj is None:
                continue
            name = r.text(group_obj, "name", item_path, required=True)
            if ok(name):
                self.unique(seen, name, f"{item_path}.name", errors.DUPLICATE_NAME, name=show(name))
            group = Group(
                plan=self.draft.plan,
                name=value_or(name, ""),
                kind=value_or(
                    r.choice(group_obj, "kind", item_path, GroupKind.values, required=True), ""
                ),
                description=value_or(r.text(group_obj, "description", item_path), ""),
                order=order,
            )
            r.clean(group, item_path, mark=mark, exclude=["plan"])
            self.draft.groups.append(group)
            for person_order, (person_path, person_item) in enumerate(
                r.items(group_obj, "people", item_path)
            ):
                mark = r.mark()
                person_obj = r.object(person_item, person_path, PERSON_FIELDS)
                if person_obj is None:
                    continue
                person = GroupMember(
                    group=group,
                    person=value_or(r.text(person_obj, "person", person_path, required=True), ""),
                    member=value_or(self.member(person_obj, "member", person_path), None),
                    role=value_or(r.text(person_obj, "role", person_path), ""),
                    order=person_order,
                )
                r.clean(person, person_path, mark=mark, exclude=["group", "member"])
                self.draft.people.append(person)

    def read_projects(self, obj: Any, path: str) -> None:
        r = self.r
        seen: dict[Any, str] = {}
        for order, (item_path, item) in enumerate(r.items(obj, "projects", path)):
            mark = r.mark()
            project_obj = r.object(item, item_path, PROJECT_FIELDS)
            if project_obj is None:
                continue
            name = r.name(project_obj, "name", item_path, required=True)
            starts_on = r.date(project_obj, "starts_on", item_path)
            ends_on = r.date(project_obj, "ends_on", item_path)
            self.check_period(starts_on, ends_on, f"{item_path}.ends_on")
            project = Project(
                plan=self.draft.plan,
                name=value_or(name, ""),
                kind=value_or(
                    r.choice(project_obj, "kind", item_path, ProjectKind.values, required=True), ""
                ),
                status=value_or(
                    r.choice(
                        project_obj,
                        "status",
                        item_path,
                        ProjectStatus.values,
                        default=ProjectStatus.RUNNING,
                    ),
                    "",
                ),
                owner=value_or(r.text(project_obj, "owner", item_path), ""),
                starts_on=value_or(starts_on, None),
                ends_on=value_or(ends_on, None),
                cofinancing=value_or(r.text(project_obj, "cofinancing", item_path), ""),
                description=value_or(r.text(project_obj, "description", item_path), ""),
                order=order,
            )
            r.clean(project, item_path, mark=mark, exclude=["plan"])
            if ok(name) and self.unique(
                seen, name, f"{item_path}.name", errors.DUPLICATE_NAME, name=show(name)
            ):
                self.projects[name] = project
                self.draft.projects.append(project)

    def read_sections(self, obj: Any, path: str) -> None:
        r = self.r
        for order, (item_path, item) in enumerate(r.items(obj, "sections", path)):
            mark = r.mark()
            section_obj = r.object(item, item_path, SECTION_FIELDS)
            if section_obj is None:
                continue
            section = Section(
                plan=self.draft.plan,
                title=value_or(r.text(section_obj, "title", item_path, required=True), ""),
                level=value_or(r.integer(section_obj, "level", item_path, default=1), 1),
                body=value_or(r.text(section_obj, "body", item_path), ""),
                order=order,
            )
            r.clean(section, item_path, mark=mark, exclude=["plan"])
            self.draft.sections.append(section)

    def read_timetable(self, obj: Any, path: str) -> None:
        r = self.r
        for order, (item_path, item) in enumerate(r.items(obj, "timetable", path)):
            mark = r.mark()
            entry_obj = r.object(item, item_path, TIMETABLE_FIELDS)
            if entry_obj is None:
                continue
            entry = TimetableEntry(
                plan=self.draft.plan,
                year=value_or(r.integer(entry_obj, "year", item_path, required=True), 0),
                month=value_or(r.integer(entry_obj, "month", item_path, required=True), 1),
                event=value_or(r.text(entry_obj, "event", item_path, required=True), ""),
                order=order,
            )
            r.clean(entry, item_path, mark=mark, exclude=["plan"])
            self.draft.timetable.append(entry)
