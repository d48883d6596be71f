from django.db import migrations

ACTIVE = "('held', 'awaiting_payment', 'confirmed')"


def add_exclusion_constraints(apps, schema_editor):
    """On PostgreSQL the database itself refuses two active bookings or holds of one mentor
    whose blocked times overlap, and two of one mentee whose sessions overlap. (SQLite has
    no such constraint: bookings.domain checks under the database's write lock there.)"""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE bookings_booking ADD CONSTRAINT bookings_mentor_time_once "
        "EXCLUDE USING gist (mentor_id WITH =, "
        "tstzrange(blocked_from, blocked_until, '[)') WITH &&) "
        f"WHERE (status IN {ACTIVE})"
    )
    schema_editor.execute(
        "ALTER TABLE bookings_booking ADD CONSTRAINT bookings_mentee_time_once "
        "EXCLUDE USING gist (mentee_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        f"WHERE (status IN {ACTIVE})"
    )


def drop_exclusion_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE bookings_booking DROP CONSTRAINT bookings_mentor_time_once")
    schema_editor.execute("ALTER TABLE bookings_booking DROP CONSTRAINT bookings_mentee_time_once")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_bookings")]

    operations = [migrations.RunPython(add_exclusion_constraints, drop_exclusion_constraints)]
