from django.db import migrations


def create_search(apps, schema_editor):
    from mentor247.mentors.search import create_engine_tables

    create_engine_tables(schema_editor)


def drop_search(apps, schema_editor):
    from mentor247.mentors.search import drop_engine_tables

    drop_engine_tables(schema_editor)


def profiles_for_existing_mentors(apps, schema_editor):
    """Mentors approved before profiles existed keep their role, as approved profiles for them
    to complete."""
    User = apps.get_model("accounts", "User")
    MentorProfile = apps.get_model("mentors", "MentorProfile")
    for user in User.objects.filter(is_mentor=True):
        MentorProfile.objects.create(
            user=user,
            status="approved",
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
