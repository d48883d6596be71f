from django.db import migrations


def create_search(apps, schema_editor):
    from mentor247.mentors.search import create_engine_tables

    create_engine_tables(schema_editor)


def drop_search(apps, schema_editor):
    from mentor247.mentors.search import drop_engine_tables

    drop_engine_tables(schema_editor)


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
    from mentor247.mentors.search import index_profiles

    index_profiles(MentorProfile.objects.values_list("pk", flat=True))


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search, drop_search),
        migrations.RunPython(profiles_for_existing_mentors, migrations.RunPython.noop),
    ]
