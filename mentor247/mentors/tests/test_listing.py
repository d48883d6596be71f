"""The directory's Listing rows stay in line with the listing rule through every write."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentor247.accounts.models import User
from mentor247.conftest import make_user
from mentor247.mentors import domain
from mentor247.mentors.domain import Decision, OfferingTerms
from mentor247.mentors.listing import SETTLE, listed, listing_rule, sweep_listing
from mentor247.mentors.models import Listing, ListingSweep, MentorProfile
from mentor247.mentors.queries import MentorFilters, listed_profiles, search_profiles
from mentor247.policies.domain import accept_pending, complete_removal, decline_pending
from mentor247.policies.models import PolicyKind, PolicyVersion
from mentor247.policies.queries import pending_versions
from mentor247.policies.tests.test_policies import publish

pytestmark = pytest.mark.django_db

TERMS = OfferingTerms(
    title="Two hours on your roadmap",
    description="We turn your ideas into a plan.",
    session_count=2,
    session_minutes=60,
    price=2500,
    plan=["Where you are", "Where you go next"],
    expected_results="A roadmap you can defend.",
    not_included="Writing it for you.",
)


def assert_in_line() -> None:
    """The directory lists exactly the profiles the rule lists, each with its profile's
    columns (a row may wait for a sweep, but is not listed meanwhile)."""
    assert set(listed().values_list("pk", flat=True)) == set(
        listing_rule().values_list("pk", flat=True)
    )
    for listing in Listing.objects.select_related("profile"):
        profile = listing.profile
        assert (
            listing.user_id,
            listing.currency,
            listing.lowest_price,
            listing.rating_average,
            listing.rating_count,
            listing.time_zone,
        ) == (
            profile.user_id,
            profile.currency,
            profile.lowest_price,
            profile.rating_average,
            profile.rating_count,
            profile.time_zone,
        )


def listed_users() -> list[User]:
    return [profile.user for profile in listed_profiles().order_by("pk")]


def accept_all(user: User) -> None:
    pending = [version.pk for version in pending_versions(user)]
    accept_pending(user, version_ids=pending, ip_address=None, user_agent="tests")


def test_every_write_about_a_mentor_keeps_the_listing_in_line(mentor: User, staff: User) -> None:
    other = make_user("olga.other@example.com", mentor=True)
    profile = mentor.mentor_profile
    assert_in_line()
    assert listed_users() == [mentor, other]

    domain.decide(profile, Decision.SUSPEND, note="Complaints.", by=staff)
    assert_in_line()
    assert listed_users() == [other]
    domain.decide(profile, Decision.REINSTATE, note="", by=staff)
    assert_in_line()
    assert listed_users() == [mentor, other]

    offering = domain.add_offering(profile, TERMS)
    assert_in_line()
    assert Listing.objects.get(pk=profile.pk).lowest_price == 2500
    for current in profile.offerings.current():
        domain.retire_offering(current)
    assert_in_line()
    assert Listing.objects.get(pk=profile.pk).lowest_price is None
    assert offering.pk  # retired, kept for what was bought on it

    profile.refresh_from_db()
    details = domain.ProfileDetails(
        headline="Roadmaps that survive contact with customers",
        bio=profile.bio,
        expertise=["Roadmapping"],
        years_of_experience=12,
        languages=[("en", 4)],
        country="NP",
        time_zone="Asia/Kathmandu",
        currency="NPR",
    )
    domain.update_profile(profile, details)
    assert_in_line()
    assert Listing.objects.get(pk=profile.pk).time_zone == "Asia/Kathmandu"
    assert [p.pk for p in search_profiles(MentorFilters(text="roadmapping"))] == [profile.pk]

    # The admin saves whole accounts: deactivating one takes its mentor out.
    mentor.is_active = False
    mentor.save()
    assert_in_line()
    assert listed_users() == [other]
    mentor.is_active = True
    mentor.save()
    assert listed_users() == [mentor, other]

    new = publish(PolicyKind.CONDUCT)
    decline_pending(mentor, version_ids=[new.pk])
    assert_in_line()
    accept_all(mentor)
    assert_in_line()
    decline_pending(other, version_ids=[new.pk])
    removal = other.removal_requests.get(status="open")
    complete_removal(removal, by=staff)
    assert_in_line()
    assert listed_users() == [mentor]


def test_a_version_taking_effect_unlists_who_has_not_accepted_it_until_they_do(
    mentor: User,
) -> None:
    other = make_user("olga.other@example.com", mentor=True)
    with time_machine.travel(timezone.now() + SETTLE, tick=True) as clock:
        sweep_listing()  # the versions installed with the database have settled
        assert not listed().query.where.children  # every version in effect swept: no checks

        new = publish(PolicyKind.CONDUCT)
        # Not swept yet: the rows are there, and the queries check acceptances themselves.
        assert Listing.objects.count() == 2
        assert listed_users() == []
        accept_all(mentor)
        assert listed_users() == [mentor]
        # A refresh that began before the version took effect may still be committing.
        assert sweep_listing() == 0
        assert not ListingSweep.objects.filter(version=new).exists()

        clock.shift(SETTLE)
        assert sweep_listing() == 1
        assert list(Listing.objects.values_list("pk", flat=True)) == [mentor.mentor_profile.pk]
        assert ListingSweep.objects.filter(version=new).exists()
        with CaptureQueriesContext(connection) as queries:
            assert listed_users() == [mentor]
        assert "policyacceptance" not in queries.captured_queries[-1]["sql"]
        assert sweep_listing() == 0  # nothing left to sweep

        accept_all(other)
        assert listed_users() == [mentor, other]
        assert_in_line()


def test_a_version_not_in_effect_yet_changes_nothing_until_it_is(mentor: User) -> None:
    publish(PolicyKind.CONDUCT, at=timezone.now() + timedelta(days=7))
    assert sweep_listing() == 0
    assert listed_users() == [mentor]
    assert_in_line()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sweeps_when_a_version_takes_effect(settings: Any, mentor: User) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    at = timezone.now() + timedelta(days=3)
    new = publish(PolicyKind.CONDUCT, at=at)
    # Its sweep is queued for a minute after it takes effect.
    task = DBTaskResult.objects.get(task_path__endswith="sweep_listing_task", run_after=at + SETTLE)

    def work() -> None:
        call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    work()
    assert DBTaskResult.objects.get(pk=task.pk).status == "READY"  # not due yet
    # Three days later (the version's start, and its task's, moved to a minute ago, and the
    # versions before it further back):
    now = timezone.now()
    PolicyVersion.objects.exclude(pk=new.pk).update(effective_at=now - 2 * SETTLE)
    PolicyVersion.objects.filter(pk=new.pk).update(effective_at=now - SETTLE)
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=now)
    work()
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"
    assert ListingSweep.objects.filter(version=new).exists()
    assert not Listing.objects.exists()
    assert MentorProfile.objects.get(user=mentor).status == MentorProfile.Status.APPROVED
