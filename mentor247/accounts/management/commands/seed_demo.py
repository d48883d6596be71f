"""Loads the demo data: one staff member, two mentees, three named mentors and a directory of
generated mentors (mentors.demo), all written through the domain functions. Safe to run again:
what exists is left as it is."""

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from mentor247.accounts.models import User
from mentor247.mentors.demo import NAMED_MENTORS, create_demo_directory, demo_mentors
from mentor247.policies.domain import accept_versions
from mentor247.policies.rules import pending_versions

DEMO_PASSWORD = "mentor247-demo"  # noqa: S105 - published in the README for the demo only
DEMO_PEOPLE = [
    # email, name, time zone, language, mentor, staff
    ("staff@mentor247.test", "Sam Staff", "Europe/London", "en", False, True),
    ("amara@mentor247.test", "Amara Okafor", "Africa/Lagos", "en", True, False),
    ("diego@mentor247.test", "Diego Fernández", "Europe/Madrid", "es", True, False),
    ("priya@mentor247.test", "Priya Raman", "Asia/Kolkata", "en", True, False),
    ("lena@mentor247.test", "Lena Fischer", "Europe/Berlin", "en", False, False),
    ("tom@mentor247.test", "Tom Becker", "America/New_York", "en", False, False),
]
STAFF_EMAIL = "staff@mentor247.test"
# Mentors beyond the named three, enough for the directory's filters and pages to show.
GENERATED_MENTORS = 36


class Command(BaseCommand):
    help = "Creates (or completes) the demo accounts and mentor directory; prints the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        # One hash for every demo account, instead of one per account at Argon2's cost.
        password_hash = make_password(DEMO_PASSWORD)
        generated = list(demo_mentors(GENERATED_MENTORS))
        with transaction.atomic():
            for email, name, zone, language, _mentor, staff in DEMO_PEOPLE:
                user, _created = User.objects.get_or_create(
                    email=email,
                    defaults={
                        "name": name,
                        "time_zone": zone,
                        "language": language,
                        "is_staff": staff,
                        "is_superuser": staff,
                        "password": password_hash,
                    },
                )
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                if pending := pending_versions(user):
                    accept_versions(user, pending, ip_address=None, user_agent="seed_demo")
            create_demo_directory(
                [*NAMED_MENTORS, *generated],
                staff=User.objects.get(email=STAFF_EMAIL),
                password_hash=password_hash,
            )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, _zone, _language, mentor, staff in DEMO_PEOPLE:
            role = "staff" if staff else "mentor" if mentor else "mentee"
            self.stdout.write(f"  {role:<7} {email:<24} {name}")
        self.stdout.write(
            f"  and {len(generated)} more mentors, {generated[0].email} to {generated[-1].email}"
        )
