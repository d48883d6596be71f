"""Who is listed in the directory, and the Listing rows that record it.

A mentor is listed while their profile is approved, their account active, every mentor policy in
effect accepted and no request to remove them open: `listing_rule` is the one place that says
so. Searches do not apply the rule, which joins five tables, to every mentor each time; they
read Listing, one narrow row per mentor who met the rule when it was last applied to them. Every
domain write that changes what the rule or the directory reads calls `refresh_listing` for the
mentors it touched, inside its own transaction.

A policy version taking effect changes the rule for every mentor at once, at a moment no write
marks. A task queued for that moment (`sweep_when_in_effect`) takes out the mentors who had not
accepted the version and records a ListingSweep; until it has, `listed` checks acceptances of
that version itself, so nobody is listed a moment too long.
"""

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_tasks import task

from mentor247.lib.tasks import enqueue_on_commit
from mentor247.mentors.models import Listing, ListingSweep, MentorProfile
from mentor247.mentors.search import postgresql_document, sqlite_index, sqlite_unindex
from mentor247.policies.models import MENTOR_KINDS, PolicyAcceptance, PolicyVersion, RemovalRequest

# Profiles refreshed per statement: under SQLite's limit of parameters.
CHUNK = 500
# A sweep waits this long after a version takes effect, so that a write which began just before
# that moment (and applied the rule without it) has committed before the sweep reads.
SETTLE = timedelta(minutes=1)


def listing_rule() -> QuerySet[MentorProfile]:
    """The profiles that are listed: approved, account active, every mentor policy in effect
    accepted, and no open request to be removed."""
    profiles = MentorProfile.objects.filter(
        status=MentorProfile.Status.APPROVED, user__is_active=True
    ).exclude(
        Exists(
            RemovalRequest.objects.filter(user=OuterRef("user"), status=RemovalRequest.Status.OPEN)
        )
    )
    in_effect = PolicyVersion.objects.in_effect().filter(policy__kind__in=MENTOR_KINDS)
    for version_id in in_effect.values_list("pk", flat=True):
        profiles = profiles.filter(
            Exists(PolicyAcceptance.objects.filter(user=OuterRef("user"), version_id=version_id))
        )
    return profiles


def unswept_versions() -> QuerySet[PolicyVersion]:
    """Mentor policy versions in effect that the directory has not been swept for yet."""
    return (
        PolicyVersion.objects.in_effect()
        .filter(policy__kind__in=MENTOR_KINDS)
        .exclude(Exists(ListingSweep.objects.filter(version=OuterRef("pk"))))
    )


def listed() -> QuerySet[Listing]:
    """The directory's rows of listed mentors. One small query finds the versions in effect
    not swept for yet (normally none); their acceptances are checked here meanwhile."""
    listings = Listing.objects.all()
    for version_id in unswept_versions().values_list("pk", flat=True):
        listings = listings.filter(
            Exists(PolicyAcceptance.objects.filter(user=OuterRef("user"), version_id=version_id))
        )
    return listings


def refresh_listing(profile_ids: Iterable[int] | None = None) -> None:
    """Applies the listing rule to `profile_ids` (to every profile when None): a Listing row,
    with its search document, for each that meets it, none for the others."""
    ids = None if profile_ids is None else list(profile_ids)
    if ids == []:
        return
    chunks: list[list[int] | None] = (
        [None] if ids is None else [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    )
    with transaction.atomic():
        for chunk in chunks:
            _refresh(chunk)


def _refresh(ids: Sequence[int] | None) -> None:
    rule = listing_rule() if ids is None else listing_rule().filter(pk__in=ids)
    rule_sql, rule_params = rule.values("pk").query.sql_with_params()
    (Listing.objects.all() if ids is None else Listing.objects.filter(pk__in=ids)).delete()
    postgresql = connection.vendor == "postgresql"
    document, document_params = postgresql_document() if postgresql else ("NULL", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO mentors_listing (profile_id, user_id, currency, lowest_price,
                rating_average, rating_count, time_zone, document)
            SELECT p.id, p.user_id, p.currency, p.lowest_price, p.rating_average,
                p.rating_count, p.time_zone, {document}
            FROM mentors_mentorprofile AS p
            JOIN accounts_user AS u ON u.id = p.user_id
            WHERE p.id IN ({rule_sql})
            """,  # noqa: S608 - SQL the ORM compiled, with its parameters apart
            [*document_params, *rule_params],
        )
        if not postgresql:
            sqlite_unindex(cursor, ids)
            sqlite_index(cursor, rule_sql, rule_params)


def refresh_user_listing(user_ids: Iterable[int]) -> None:
    """refresh_listing for the mentor profiles of `user_ids` (for writes about people)."""
    profiles = MentorProfile.objects.filter(user__in=list(user_ids))
    refresh_listing(profiles.values_list("pk", flat=True))


def sweep_listing(*, settle: bool = True) -> int:
    """Takes out of the directory every mentor who has not accepted a mentor policy version
    that took effect since the last sweep, and records the sweep. Returns how many it took
    out. Safe to run at any time, by several workers at once.

    It only deletes rows: a mentor who accepts meanwhile is listed again by that acceptance's
    own refresh, and a sweep never waits for a row a domain write holds while holding one
    that write needs."""
    with transaction.atomic():
        # Only versions in effect for SETTLE already: a refresh that began before one took
        # effect (and applied the rule without it) has committed by then.
        # (After migrations, before the platform serves, there is nothing to wait for.)
        settled = unswept_versions().filter(
            effective_at__lte=timezone.now() - (SETTLE if settle else timedelta(0))
        )
        versions = list(settled.values_list("pk", flat=True))
        if not versions:
            return 0
        behind = Listing.objects.none()
        for version_id in versions:
            accepted = PolicyAcceptance.objects.filter(user=OuterRef("user"), version_id=version_id)
            behind |= Listing.objects.exclude(Exists(accepted))
        # Locked in one order, so that sweeps running at once take turns.
        ids = list(behind.order_by("pk").select_for_update().values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            Listing.objects.filter(pk__in=chunk).delete()
            if connection.vendor != "postgresql":
                with connection.cursor() as cursor:
                    sqlite_unindex(cursor, chunk)
        now = timezone.now()
        ListingSweep.objects.bulk_create(
            [ListingSweep(version_id=version_id, swept_at=now) for version_id in versions],
            ignore_conflicts=True,
        )
    return len(ids)


@task()
def sweep_listing_task() -> int:
    return sweep_listing()


def sweep_when_in_effect(version: PolicyVersion) -> None:
    """Queues the sweep for the moment `version` takes effect, once this transaction commits
    (until it has run, `listed` checks that version's acceptances itself)."""
    if version.policy.kind in MENTOR_KINDS:
        enqueue_on_commit(sweep_listing_task, run_after=version.effective_at + SETTLE)
