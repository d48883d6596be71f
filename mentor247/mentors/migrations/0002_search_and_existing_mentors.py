from django.db import migrations


def create_search(apps, schema_editor):
    """SQLite's FTS5 table, or PostgreSQL's table with its GIN index (moved into the listing
    by 0003). Both have the columns SearchEntry reads: rowid and mentors_search."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE mentors_search USING fts5(name, headline, bio, expertise, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        schema_editor.execute(
            "INSERT INTO mentors_search (mentors_search, rank) "
            "VALUES ('rank', 'bm25(4.0, 4.0, 1.0, 10.0)')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE mentors_search "
            "(rowid bigint PRIMARY KEY, mentors_search tsvector NOT NULL)"
        )
        schema_editor.execute(
            "CREATE INDEX mentors_search_document ON mentors_search USING gin (mentors_search)"
        )


def drop_search(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS mentors_search")


def profiles_for_existing_mentors(apps, schema_editor):
    """Mentors approved before profiles existed get a profile to complete; staff approve it
    like any application, so no blank profile is ever listed."""
    User = apps.get_model("accounts", "User")
    MentorProfile = apps.get_model("mentors", "MentorProfile")
    for user in User.objects.filter(is_mentor=True):
        MentorProfile.objects.create(
            user=user,
            status="changes_requested",
            decision_note="Please complete your mentor profile and send it to us again.",
            headline="",
            bio="",
            years_of_experience=0,
            country="",
            time_zone=user.time_zone,
            currency="USD",
            applied_at=user.date_joined,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search, drop_search),
        migrations.RunPython(profiles_for_existing_mentors, migrations.RunPython.noop),
    ]
