from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.queries import open_times
from mentor247.demo.data import NAMED_MENTORS
from mentor247.demo.mentors import demo_mentors
from mentor247.mentors.domain import check_details, check_terms
from mentor247.mentors.models import Expertise, MentorLanguage, MentorProfile, Offering
from mentor247.mentors.photos import photo_name
from mentor247.mentors.queries import listed_profiles
from mentor247.payments.ledger import balance, escrow_of
from mentor247.payments.models import Payment
from mentor247.policies.models import PolicyAcceptance


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def counts() -> dict[str, int]:
    models = [User, EmailAddress, MentorProfile, MentorLanguage, Offering, Expertise]
    found = {model.__name__: model.objects.count() for model in models}
    found["PolicyAcceptance"] = PolicyAcceptance.objects.count()
    found["expertise links"] = MentorProfile.expertise.through.objects.count()
    found["photos"] = MentorProfile.objects.exclude(photo="").values("photo").distinct().count()
    return found


def test_demo_mentors_are_the_same_for_a_seed_and_pass_the_domain_checks() -> None:
    mentors = list(demo_mentors(300))
    assert mentors == list(demo_mentors(300))
    assert mentors[:10] == list(demo_mentors(10))
    assert mentors != list(demo_mentors(300, seed=1))
    assert len({mentor.email for mentor in mentors}) == 300
    for mentor in [*NAMED_MENTORS, *mentors]:
        check_details(mentor.details)
        for terms in mentor.offerings:
            check_terms(terms)
        assert 1 <= len(mentor.offerings) <= 3
        assert 1 <= len(mentor.details.expertise) <= 5
        assert 1 <= len(mentor.details.languages) <= 3
        assert 2 <= mentor.details.bio.count("\n\n") + 1 <= 4


@pytest.mark.django_db
def test_demo_directory_lists_mentors_across_currencies_zones_and_languages() -> None:
    seed()
    listed = listed_profiles()
    assert listed.count() >= 30
    assert listed.values("currency").distinct().count() >= 5
    assert listed.values("time_zone").distinct().count() >= 8
    languages = MentorLanguage.objects.filter(profile__in=listed).values("language").distinct()
    assert languages.count() >= 5
    now = timezone.now()
    for profile in listed:
        assert profile.offerings.current().exists()
        # Every demo mentor can be booked in the coming fortnight.
        shortest = min(o.session_minutes for o in profile.offerings.current())
        assert open_times(profile, minutes=shortest, start=now, end=now + timedelta(days=14))
        assert default_storage.exists(photo_name(profile.photo, "large"))
        # Nobody has reviewed a demo mentor.
        assert (profile.rating_average, profile.rating_count) == (0.0, 0)
    amara = listed.get(user__email="amara@mentor247.test")
    assert amara.headline == NAMED_MENTORS[0].details.headline
    assert amara.offerings.count() == len(NAMED_MENTORS[0].offerings)


@pytest.mark.django_db
def test_seed_demo_twice_creates_nothing_more() -> None:
    seed()
    # Lena's session with Amara is paid with the sandbox's test card, its money in escrow.
    lena_session = Booking.objects.get(mentee__email="lena@mentor247.test")
    assert lena_session.status == Booking.Status.CONFIRMED
    engagement = lena_session.engagement
    assert engagement.price > 0
    paid = Payment.objects.get(booking=lena_session, state=Payment.State.SUCCEEDED)
    assert balance(escrow_of(engagement, paid.currency)) == engagement.price
    before = counts()
    photos = set(MentorProfile.objects.values_list("photo", flat=True))
    seed()
    assert counts() == before
    assert set(MentorProfile.objects.values_list("photo", flat=True)) == photos


@pytest.mark.django_db
def test_seed_demo_completes_a_mentor_from_before_profiles() -> None:
    # What mentors migration 0002 leaves for a mentor approved when the role was a flag.
    amara = User.objects.create_user("amara@mentor247.test", name="Amara Okafor")
    MentorProfile.objects.create(
        user=amara,
        status=MentorProfile.Status.CHANGES_REQUESTED,
        headline="",
        bio="",
        years_of_experience=0,
        country="",
        time_zone="UTC",
        currency="USD",
        applied_at=amara.date_joined,
    )
    seed()
    profile = listed_profiles().get(user=amara)
    assert (profile.headline, profile.country.code, profile.currency) == (
        NAMED_MENTORS[0].details.headline,
        "NG",
        "USD",
    )
    assert MentorProfile.objects.filter(user=amara).count() == 1
