"""The audit log made append-only by the database itself, not only by the model.

Triggers on ``workspace_auditentry`` refuse every UPDATE, and every DELETE of an entry that is not
older than a recorded retention purge. A purge first records itself in ``workspace_auditpurge``
(when it ran, its cutoff and the retention period it applied); a trigger there refuses a cutoff
later than the database's own clock minus that period, and any period under
``AUDIT_MIN_RETENTION_DAYS``, so no code path (the ORM's base manager, ``QuerySet.update``, raw SQL,
a purge with a date in the future) can rewrite or remove a recent entry. The purge records are
append-only too. (SQLite's clock counts milliseconds, Python's microseconds: its check allows one
second.) PostgreSQL's TRUNCATE fires no row trigger; only the schema's owner can run it.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_MIN_RETENTION_DAYS = 365
MESSAGE = "The audit log is append-only: entries are never changed, and removed only by its retention purge."

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS workspace_auditentry_no_update BEFORE UPDATE ON workspace_auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS workspace_auditentry_no_delete BEFORE DELETE ON workspace_auditentry
    WHEN OLD.at >= COALESCE((SELECT MAX(cutoff) FROM workspace_auditpurge), '')
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # noqa: S608 (module constants, no input)
    f"""CREATE TRIGGER IF NOT EXISTS workspace_auditpurge_check BEFORE INSERT ON workspace_auditpurge
    WHEN NEW.retention_days < {AUDIT_MIN_RETENTION_DAYS}
      OR NEW.cutoff > strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || NEW.retention_days || ' days', '+1 seconds')
    BEGIN SELECT RAISE(ABORT, 'A purge of the audit log may only remove entries older than its retention period.');
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS workspace_auditpurge_no_update BEFORE UPDATE ON workspace_auditpurge
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS workspace_auditpurge_no_delete BEFORE DELETE ON workspace_auditpurge
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "workspace_auditentry_no_update",
        "workspace_auditentry_no_delete",
        "workspace_auditpurge_check",
        "workspace_auditpurge_no_update",
        "workspace_auditpurge_no_delete",
    )
]

# RAISE with SQLSTATE 23000 reaches Django as an IntegrityError, as SQLite's RAISE(ABORT) does.
POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION workspace_auditentry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND OLD.at < (SELECT MAX(cutoff) FROM workspace_auditpurge) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
    END $$""",  # noqa: S608 (module constants, no input)
    """CREATE OR REPLACE TRIGGER workspace_auditentry_append_only BEFORE UPDATE OR DELETE ON workspace_auditentry
    FOR EACH ROW EXECUTE FUNCTION workspace_auditentry_guard()""",
    f"""CREATE OR REPLACE FUNCTION workspace_auditpurge_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' AND NEW.retention_days >= {AUDIT_MIN_RETENTION_DAYS}
         AND NEW.cutoff <= clock_timestamp() - make_interval(days => NEW.retention_days) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'A purge of the audit log may only remove entries older than its retention period.'
        USING ERRCODE = '23000';
    END $$""",
    """CREATE OR REPLACE TRIGGER workspace_auditpurge_append_only BEFORE INSERT OR UPDATE OR DELETE
    ON workspace_auditpurge FOR EACH ROW EXECUTE FUNCTION workspace_auditpurge_guard()""",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS workspace_auditentry_append_only ON workspace_auditentry",
    "DROP TRIGGER IF EXISTS workspace_auditpurge_append_only ON workspace_auditpurge",
    "DROP FUNCTION IF EXISTS workspace_auditentry_guard()",
    "DROP FUNCTION IF EXISTS workspace_auditpurge_guard()",
]
STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
}


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (idempotent)."""
    _run(connection, STATEMENTS[connection.vendor][0])


def remove(connection: BaseDatabaseWrapper) -> None:
    _run(connection, STATEMENTS[connection.vendor][1])
