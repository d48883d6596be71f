"""The database itself refuses to change or remove ledger entries and transactions.

On SQLite only changes are refused: the test suite empties tables between tests with DELETE,
which PostgreSQL does with TRUNCATE (no row triggers fire)."""

from typing import Any

from django.db import migrations

TABLES = ("payments_ledgerentry", "payments_ledgertransaction")

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION payments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
    END $$
    """,
    *(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
        " FOR EACH ROW EXECUTE FUNCTION payments_append_only()"
        for table in TABLES
    ),
]
POSTGRES_BACKWARD = [
    *(f"DROP TRIGGER {table}_append_only ON {table}" for table in TABLES),
    "DROP FUNCTION payments_append_only()",
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}"
    " BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END"
    for table in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER {table}_append_only" for table in TABLES]


def run(statements: dict[str, list[str]]) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # no placeholders: % is literal

    return apply


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_ledger")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
