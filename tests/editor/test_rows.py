"""Board, office, groups, projects, goals and timetable: lists of rows with versions per row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goals.models import Goal, GoalArea, Target
from plans.editor.forms import NAME_TAKEN
from plans.models import Project, StaffMember, TimetableEntry
from tests.editor.conftest import user_with_role
from tests.editor.pages import FormData, form_fields

pytestmark = pytest.mark.django_db


def rows_form(client, url: str) -> FormData:
    response = client.get(url)
    assert response.status_code == 200
    return FormData(form_fields(response.content.decode()))


def row_index(form: FormData, field: str, value: str) -> int:
    for name in form.names("rad-"):
        if name.endswith(f"-{field}") and form[name] == value:
            return int(name.split("-")[1])
    raise KeyError(value)


def test_a_project_is_added_renamed_and_deleted(kansli_client, varna):
    url = reverse("editor:projects", args=[varna.pk])
    form = rows_form(kansli_client, url)
    new = int(form["rad-TOTAL_FORMS"]) - 1
    form[f"rad-{new}-name"] = "Ny insats"
    form[f"rad-{new}-kind"] = "structural"
    amazon = row_index(form, "name", "Amazon")
    form[f"rad-{amazon}-name"] = "Amazon II"
    mia = row_index(form, "name", "MIA")
    form[f"rad-{mia}-DELETE"] = "on"
    assert kansli_client.post(url, form.post()).status_code == 302
    names = set(Project.objects.filter(plan=varna).values_list("name", flat=True))
    assert {"Ny insats", "Amazon II"} <= names
    assert not names & {"Amazon", "MIA"}


def test_two_projects_with_one_name_are_refused_at_the_field(kansli_client, varna):
    url = reverse("editor:projects", args=[varna.pk])
    form = rows_form(kansli_client, url)
    new = int(form["rad-TOTAL_FORMS"]) - 1
    form[f"rad-{new}-name"] = "MIA"
    form[f"rad-{new}-kind"] = "individual"
    response = kansli_client.post(url, form.post())
    assert response.status_code == 400
    assert NAME_TAKEN in response.content.decode()
    assert Project.objects.filter(plan=varna, name="MIA").count() == 1


def test_staff_fte_is_typed_with_a_decimal_comma_and_rows_reorder(kansli_client, varna):
    url = reverse("editor:staff", args=[varna.pk])
    form = rows_form(kansli_client, url)
    first = StaffMember.objects.filter(plan=varna).order_by("order", "id").first()
    index = row_index(form, "id", str(first.pk))
    form[f"rad-{index}-fte"] = "0,5"
    form[f"rad-{index}-ORDER"] = "99"
    assert kansli_client.post(url, form.post()).status_code == 302
    first.refresh_from_db()
    assert str(first.fte) == "0.50"
    assert StaffMember.objects.filter(plan=varna).order_by("order", "id").last() == first


def test_goal_changes_move_the_version_on_and_a_later_save_is_refused(client, varna):
    area = GoalArea.objects.filter(plan=varna).order_by("order").first()
    goal = Goal.objects.filter(area=area).order_by("order").first()
    url = reverse("editor:goals", args=[varna.pk, area.pk])
    first, second = user_with_role(varna, "kansli"), user_with_role(varna, "kansli")
    client.force_login(first)
    mine = rows_form(client, url)
    client.force_login(second)
    theirs = rows_form(client, url)
    index = row_index(theirs, "id", str(goal.pk))
    theirs[f"rad-{index}-measurement"] = "Deras mätmetod"
    assert client.post(url, theirs.post()).status_code == 302
    assert Goal.objects.get(pk=goal.pk).version == goal.version + 1

    client.force_login(first)
    mine[f"rad-{index}-measurement"] = "Min mätmetod"
    response = client.post(url, mine.post())
    html = response.content.decode()
    assert response.status_code == 409
    assert "har ändrats av någon annan sedan du öppnade sidan. Sparat nu:" in html
    assert "mätmetod: Deras mätmetod" in html
    assert "Min mätmetod" in html
    assert Goal.objects.get(pk=goal.pk).measurement == "Deras mätmetod"
    again = FormData(form_fields(html))
    assert client.post(url, again.post()).status_code == 302
    assert Goal.objects.get(pk=goal.pk).measurement == "Min mätmetod"


def test_unchanged_rows_keep_what_someone_else_saved(client, varna):
    area = GoalArea.objects.filter(plan=varna).order_by("order").first()
    goals = list(Goal.objects.filter(area=area).order_by("order")[:2])
    url = reverse("editor:goals", args=[varna.pk, area.pk])
    client.force_login(user_with_role(varna, "kansli"))
    mine = rows_form(client, url)
    Goal.objects.filter(pk=goals[0].pk).update(reporting="Ändrat av någon annan", version=9)
    mine[f"rad-{row_index(mine, 'id', str(goals[1].pk))}-reporting"] = "Mitt"
    assert client.post(url, mine.post()).status_code == 302
    assert Goal.objects.get(pk=goals[0].pk).reporting == "Ändrat av någon annan"
    assert Goal.objects.get(pk=goals[1].pk).reporting == "Mitt"


def test_targets_are_per_project(kansli_client, varna):
    area = GoalArea.objects.filter(plan=varna).order_by("order").first()
    goal = Goal.objects.filter(area=area).order_by("order").first()
    url = reverse("editor:targets", args=[varna.pk, area.pk, goal.pk])
    form = rows_form(kansli_client, url)
    new = int(form["rad-TOTAL_FORMS"]) - 1
    project = Project.objects.get(plan=varna, name="Amazon")
    form[f"rad-{new}-project"] = str(project.pk)
    form[f"rad-{new}-kind"] = "number"
    form[f"rad-{new}-value"] = "40"
    form[f"rad-{new}-unit"] = "pers"
    assert kansli_client.post(url, form.post()).status_code == 302
    assert Target.objects.get(goal=goal, project=project).value == 40


def test_timetable_entries_are_added(kansli_client, varna):
    url = reverse("editor:timetable", args=[varna.pk])
    form = rows_form(kansli_client, url)
    new = int(form["rad-TOTAL_FORMS"]) - 1
    form[f"rad-{new}-year"] = "2021"
    form[f"rad-{new}-month"] = "11"
    form[f"rad-{new}-event"] = "Styrelsemöte: budget 2022"
    assert kansli_client.post(url, form.post()).status_code == 302
    assert TimetableEntry.objects.filter(
        plan=varna, month=11, event="Styrelsemöte: budget 2022"
    ).exists()


def test_board_offers_only_the_associations_members(kansli_client, varna):
    from tests.factories import MemberFactory

    stranger = MemberFactory(name="Främmande kommun")
    html = kansli_client.get(reverse("editor:board", args=[varna.pk])).content.decode()
    assert "Nacka kommun" in html
    assert stranger.name not in html


@pytest.mark.parametrize(
    ("name", "queries"),
    # session, user, plan, role, the rows; the board also its members, the groups nothing more.
    [
        ("board", 6),
        ("staff", 5),
        ("groups", 5),
        ("projects", 5),
        ("goal_areas", 5),
        ("timetable", 5),
    ],
)
def test_row_pages_have_fixed_query_counts(
    kansli_client, varna, django_assert_num_queries, name, queries
):
    with django_assert_num_queries(queries):
        assert kansli_client.get(reverse(f"editor:{name}", args=[varna.pk])).status_code == 200


def test_target_page_queries_do_not_grow_with_the_targets(
    kansli_client, varna, django_assert_num_queries
):
    from tests.factories import TargetFactory

    area = GoalArea.objects.filter(plan=varna).order_by("order").first()
    goal = Goal.objects.filter(area=area).order_by("order").first()
    url = reverse("editor:targets", args=[varna.pk, area.pk, goal.pk])
    for _ in range(2):
        # session, user, plan, role, goal, targets, projects
        with django_assert_num_queries(7):
            assert kansli_client.get(url).status_code == 200
        TargetFactory.create_batch(5, goal=goal)


def test_a_goal_of_another_plan_is_404(kansli_client, varna):
    from tests.factories import GoalFactory

    other = GoalFactory()
    url = reverse("editor:targets", args=[varna.pk, other.area_id, other.pk])
    assert kansli_client.get(url).status_code == 404
