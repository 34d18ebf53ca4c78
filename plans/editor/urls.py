"""The editor's pages: the start page, logging in and out, and every editor of a plan."""

from __future__ import annotations

from django.urls import path

from plans.editor import auth_views, views

app_name = "editor"

plan = "redigera/planer/<int:plan_id>/"
urlpatterns = [
    path("", views.start, name="start"),
    path("konto/login/", auth_views.login, name="login"),
    path("konto/logout/", auth_views.logout, name="logout"),
    path("redigera/forbund/<int:association_id>/ny-plan/", views.plan_new, name="plan_new"),
    path(plan, views.plan_settings, name="plan"),
    path(plan + "budget/", views.budget, name="budget"),
    path(plan + "budget/forhandsvisning/", views.budget_preview, name="budget_preview"),
    path(plan + "avsnitt/", views.sections, name="sections"),
    path(plan + "avsnitt/forhandsvisning/", views.section_preview, name="section_preview"),
    path(plan + "avsnitt/<int:section_id>/", views.section, name="section"),
    path(plan + "organisation/", views.organisation, name="organisation"),
    path(plan + "organisation/forhandsvisning/", views.shares_preview, name="shares_preview"),
    path(plan + "organisation/ny-medlem/", views.member_new, name="member_new"),
    path(plan + "styrelse/", views.rows_page("board"), name="board"),
    path(plan + "kansli/", views.rows_page("staff"), name="staff"),
    path(plan + "grupper/", views.rows_page("groups"), name="groups"),
    path(plan + "grupper/<int:group_id>/", views.rows_page("group_people"), name="group_people"),
    path(plan + "insatser/", views.rows_page("projects"), name="projects"),
    path(plan + "mal/", views.rows_page("goal_areas"), name="goal_areas"),
    path(plan + "mal/<int:area_id>/", views.rows_page("goals"), name="goals"),
    path(plan + "mal/<int:area_id>/<int:goal_id>/", views.rows_page("targets"), name="targets"),
    path(plan + "tidplan/", views.rows_page("timetable"), name="timetable"),
]
