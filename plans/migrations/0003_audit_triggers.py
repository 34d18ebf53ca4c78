"""The audit trail's triggers.

PostgreSQL: ``finsam_audit_row()`` records every inserted, updated and deleted row of the audited
tables in ``plans_auditevent``, with the user, door and address from the transaction's settings
``finsam.audit_user``, ``finsam.audit_door`` and ``finsam.audit_ip`` (``plans.audit.postgres``).
Its arguments per table: the model label, the column naming the plan or the parent row leading to
it, the column naming the association, and columns left out. A row that reaches its plan through
a parent is looked up with static SQL per table (a CASE on the table's name), so PostgreSQL keeps
its plans; ``AUDITED`` below holds that SQL. ``plans.history.trigger_specs()`` derives the same
list from the models; a test keeps the two equal. ``finsam_refuse_change()`` makes the trail, the
workflow's records and the archived PDFs append-only.

SQLite records through signals (``plans.history``); here it only gets triggers refusing ``UPDATE``
on the append-only tables.

A new model holding plan data needs its trigger in a new migration, and the function again with
a branch for it if it reaches its plan through a parent.
"""

from django.db import migrations

AUDITED = [
    ("plans_association", "plans.association", "", "", "id", ""),
    ("plans_member", "plans.member", "", "", "association_id", ""),
    ("plans_membership", "plans.membership", "", "", "association_id", ""),
    ("plans_plan", "plans.plan", "id", "", "association_id", ""),
    ("plans_contributionshare", "plans.contributionshare", "plan_id", "", "", ""),
    ("plans_boardseat", "plans.boardseat", "plan_id", "", "", ""),
    ("plans_staffmember", "plans.staffmember", "plan_id", "", "", ""),
    ("plans_group", "plans.group", "plan_id", "", "", ""),
    (
        "plans_groupmember",
        "plans.groupmember",
        "group_id",
        "SELECT t0.plan_id FROM plans_group t0 WHERE t0.id = $1",
        "",
        "",
    ),
    ("plans_project", "plans.project", "plan_id", "", "", ""),
    ("plans_section", "plans.section", "plan_id", "", "", ""),
    ("plans_timetableentry", "plans.timetableentry", "plan_id", "", "", ""),
    ("plans_archivedpdf", "plans.archivedpdf", "plan_id", "", "", "content"),
    ("budget_budgetcolumn", "budget.budgetcolumn", "plan_id", "", "", ""),
    ("budget_budgetgroup", "budget.budgetgroup", "plan_id", "", "", ""),
    (
        "budget_budgetline",
        "budget.budgetline",
        "group_id",
        "SELECT t0.plan_id FROM budget_budgetgroup t0 WHERE t0.id = $1",
        "",
        "",
    ),
    (
        "budget_budgetamount",
        "budget.budgetamount",
        "line_id",
        "SELECT t1.plan_id FROM budget_budgetline t0 JOIN budget_budgetgroup t1 ON t1.id = t0.group_id WHERE t0.id = $1",
        "",
        "",
    ),
    ("goals_goalarea", "goals.goalarea", "plan_id", "", "", ""),
    (
        "goals_goal",
        "goals.goal",
        "area_id",
        "SELECT t0.plan_id FROM goals_goalarea t0 WHERE t0.id = $1",
        "",
        "",
    ),
    (
        "goals_target",
        "goals.target",
        "goal_id",
        "SELECT t1.plan_id FROM goals_goal t0 JOIN goals_goalarea t1 ON t1.id = t0.area_id WHERE t0.id = $1",
        "",
        "",
    ),
    (
        "goals_outcome",
        "goals.outcome",
        "target_id",
        "SELECT t2.plan_id FROM goals_target t0 JOIN goals_goal t1 ON t1.id = t0.goal_id JOIN goals_goalarea t2 ON t2.id = t1.area_id WHERE t0.id = $1",
        "",
        "",
    ),
]

APPEND_ONLY = ["plans_auditevent", "plans_plantransition", "plans_archivedpdf"]

JSON_FUNCTION = r"""
CREATE OR REPLACE FUNCTION finsam_audit_json(row_data jsonb, dropped text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    -- Decimals as exact strings (as the API writes them), integers as numbers.
    SELECT COALESCE(
        jsonb_object_agg(
            key,
            CASE
                WHEN jsonb_typeof(value) = 'number' AND value::text ~ '[.eE]'
                THEN to_jsonb(value #>> '{}')
                ELSE value
            END
        ),
        '{}'::jsonb
    )
    FROM jsonb_each(row_data - string_to_array(dropped, ','))
$$;
"""

ROW_FUNCTION = r"""
CREATE OR REPLACE FUNCTION finsam_audit_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    row_data jsonb;
    via_id bigint;
    found_plan bigint;
    found_association bigint;
BEGIN
    -- TG_ARGV: 0 model label, 1 column naming the plan or a parent row, 2 column naming the
    -- association, 3 columns left out.
    IF TG_OP <> 'INSERT' THEN
        old_row := finsam_audit_json(to_jsonb(OLD), TG_ARGV[3]);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := finsam_audit_json(to_jsonb(NEW), TG_ARGV[3]);
    END IF;
    IF TG_OP = 'UPDATE' AND old_row = new_row THEN
        RETURN NULL;
    END IF;
    row_data := COALESCE(new_row, old_row);
    IF TG_ARGV[1] <> '' THEN
        via_id := (row_data ->> TG_ARGV[1])::bigint;
        CASE TG_TABLE_NAME
%(lookups)s
            ELSE
                found_plan := via_id;
        END CASE;
    END IF;
    IF TG_ARGV[2] <> '' THEN
        found_association := (row_data ->> TG_ARGV[2])::bigint;
    ELSIF found_plan IS NOT NULL THEN
        SELECT association_id INTO found_association FROM plans_plan WHERE id = found_plan;
    END IF;
    INSERT INTO plans_auditevent
        (at, model, object_id, plan_id, association_id, action, old, new, user_id, door, ip)
    VALUES (
        clock_timestamp(),
        TG_ARGV[0],
        (row_data ->> 'id')::bigint,
        found_plan,
        found_association,
        lower(TG_OP),
        old_row,
        new_row,
        NULLIF(current_setting('finsam.audit_user', true), '')::bigint,
        COALESCE(NULLIF(current_setting('finsam.audit_door', true), ''), 'sql'),
        NULLIF(current_setting('finsam.audit_ip', true), '')::inet
    );
    RETURN NULL;
END;
$$;
"""


def row_function():
    """The row function, with a static lookup of the plan for each table that needs one."""
    branches = []
    for table, _label, _via, lookup, _association, _exclude in AUDITED:
        if lookup:
            select = lookup.replace("$1", "via_id").replace(" FROM ", " INTO found_plan FROM ", 1)
            branches.append(f"            WHEN '{table}' THEN\n                {select};")
    return ROW_FUNCTION.replace("%(lookups)s", "\n".join(branches))


REFUSE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION finsam_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Tabellen % kan bara läggas till; rader kan inte ändras eller tas bort.',
        TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;
"""


def _literal(value):
    return "'" + value.replace("'", "''") + "'"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(JSON_FUNCTION, None)
        schema_editor.execute(row_function(), None)
        schema_editor.execute(REFUSE_FUNCTION, None)
        for table, label, via, _lookup, association, exclude in AUDITED:
            args = (label, via, association, exclude)
            schema_editor.execute(
                f"CREATE TRIGGER finsam_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION finsam_audit_row("
                + ", ".join(_literal(arg) for arg in args)
                + ")",
                None,
            )
        for table in APPEND_ONLY:
            schema_editor.execute(
                f"CREATE TRIGGER finsam_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change()",
                None,
            )
    elif vendor == "sqlite":
        for table in APPEND_ONLY:
            schema_editor.execute(
                f"CREATE TRIGGER finsam_{table}_append_only BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'Tabellen kan bara läggas till; rader kan inte ändras.'); END",
                None,
            )


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table, *_args in AUDITED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS finsam_audit ON {table}")
        for table in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS finsam_append_only ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS finsam_audit_row()")
        schema_editor.execute("DROP FUNCTION IF EXISTS finsam_audit_json(jsonb, text)")
        schema_editor.execute("DROP FUNCTION IF EXISTS finsam_refuse_change()")
    elif vendor == "sqlite":
        for table in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS finsam_{table}_append_only")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_history_workflow"),
        ("budget", "0001_initial"),
        ("goals", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
