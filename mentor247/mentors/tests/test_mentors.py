import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from mentor247.accounts.models import User
from mentor247.conftest import make_profile, make_user, message_text
from mentor247.lib.languages import Proficiency
from mentor247.mentors import domain
from mentor247.mentors.domain import Decision, OfferingTerms, ProfileDetails
from mentor247.mentors.listing import refresh_listing
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.mentors.photos import SIZES, photo_name
from mentor247.mentors.queries import MentorFilters, cards, listed_profiles, search_profiles
from mentor247.policies.models import MENTOR_KINDS, PolicyAcceptance, PolicyKind
from mentor247.policies.queries import pending_versions

pytestmark = pytest.mark.django_db

Status = MentorProfile.Status


def found(**filters: Any) -> list[MentorProfile]:
    """The directory's results for `filters`: its profiles, in its order."""
    return cards(list(search_profiles(MentorFilters(**filters)).values_list("pk", flat=True)))


def details(**changes: Any) -> ProfileDetails:
    fields: dict[str, Any] = {
        "headline": "Data science careers, from analyst to lead",
        "bio": "Ten years in data teams. I help analysts grow into data scientists.",
        "expertise": ["Data science", "Python"],
        "years_of_experience": 10,
        "languages": [("en", Proficiency.FLUENT), ("hi", Proficiency.NATIVE)],
        "country": "IN",
        "time_zone": "Asia/Kolkata",
        "currency": "INR",
    }
    fields.update(changes)
    return ProfileDetails(**fields)


def terms(**changes: Any) -> OfferingTerms:
    fields: dict[str, Any] = {
        "title": "Three sessions to your first data science role",
        "description": "A short package for analysts who want to move into data science.",
        "session_count": 3,
        "session_minutes": 60,
        "price": 450000,
        "plan": ["Where you are", "Your portfolio", "Interview practice"],
        "expected_results": "A plan, a reviewed portfolio and one mock interview.",
        "not_included": "A job offer; we do not write your projects for you.",
    }
    fields.update(changes)
    return OfferingTerms(**fields)


def conduct_ids(user: User) -> list[int]:
    return [version.pk for version in pending_versions(user, kinds=MENTOR_KINDS)]


def apply(user: User, **changes: Any) -> MentorProfile:
    return domain.apply_as_mentor(
        user,
        details(**changes),
        conduct_version_ids=conduct_ids(user),
        ip_address="127.0.0.1",
        user_agent="tests",
    )


def png(width: int = 400, height: int = 400, *, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), (40, 120, 180))
    if exif is not None:
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


# Applying and deciding ------------------------------------------------------------------------


def test_applying_records_the_code_of_conduct_and_waits_for_staff(mentee: User) -> None:
    profile = apply(mentee)

    accepted = PolicyAcceptance.objects.filter(user=mentee, version__policy__kind="conduct")
    assert (profile.status, accepted.count(), mentee.is_mentor) == (Status.APPLIED, 1, False)
    assert sorted(tag.name for tag in profile.expertise.all()) == ["Data science", "Python"]
    assert list(listed_profiles()) == []


def test_applying_with_conduct_versions_not_shown_changes_nothing(mentee: User) -> None:
    with pytest.raises(ValidationError):
        domain.apply_as_mentor(
            mentee, details(), conduct_version_ids=[], ip_address=None, user_agent="tests"
        )
    assert (MentorProfile.objects.count(), PolicyAcceptance.objects.count()) == (0, 2)


def test_applying_with_bad_details_names_each_field(mentee: User) -> None:
    with pytest.raises(ValidationError) as caught:
        apply(mentee, headline=" ", languages=[("xx", 2)], time_zone="Mars/Base", expertise=[])
    assert sorted(caught.value.error_dict) == ["expertise", "headline", "languages", "time_zone"]
    assert MentorProfile.objects.count() == 0


def test_approval_lists_the_mentor_and_emails_them(
    mentee: User, staff: User, smtp_outbox, django_capture_on_commit_callbacks
) -> None:
    profile = apply(mentee)

    with django_capture_on_commit_callbacks(execute=True):
        domain.decide(profile, Decision.APPROVE, note="", by=staff)

    message = smtp_outbox.wait_for(mentee.email)
    assert message["Subject"] == "You are approved as a mentor"
    assert "Mentees can now find you" in message_text(message)
    assert [p.user for p in listed_profiles()] == [mentee]
    mentee.refresh_from_db()
    assert mentee.is_mentor


def test_rejection_needs_a_reason_that_reaches_the_applicant(
    mentee: User, staff: User, smtp_outbox, django_capture_on_commit_callbacks
) -> None:
    profile = apply(mentee)
    with pytest.raises(ValidationError):
        domain.decide(profile, Decision.REJECT, note=" ", by=staff)
    assert MentorProfile.objects.get().status == Status.APPLIED

    with django_capture_on_commit_callbacks(execute=True):
        domain.decide(profile, Decision.REJECT, note="We need more experience.", by=staff)

    message = smtp_outbox.wait_for(mentee.email)
    assert "We need more experience." in message_text(message)
    assert MentorProfile.objects.get().status == Status.REJECTED


def test_changes_requested_then_applying_again_returns_to_review(mentee: User, staff: User) -> None:
    profile = apply(mentee)
    domain.decide(profile, Decision.REQUEST_CHANGES, note="Add a photo, please.", by=staff)

    profile = apply(mentee, headline="Data science careers, and the maths behind them")

    assert (profile.status, MentorProfile.objects.count()) == (Status.APPLIED, 1)


def test_a_decision_taken_already_is_refused(mentee: User, staff: User) -> None:
    profile = apply(mentee)
    domain.decide(profile, Decision.APPROVE, note="", by=staff)
    with pytest.raises(ValidationError) as caught:
        domain.decide(profile, Decision.REJECT, note="Too late", by=staff)
    assert caught.value.code == "stale"
    assert MentorProfile.objects.get().status == Status.APPROVED


def test_applying_twice_is_refused(mentee: User) -> None:
    apply(mentee)
    with pytest.raises(ValidationError) as caught:
        apply(mentee)
    assert caught.value.code == "exists"


@pytest.mark.parametrize("decision", [Decision.SUSPEND, Decision.REMOVE])
def test_suspended_and_removed_mentors_are_nowhere_to_be_found(
    decision: str, mentor: User, staff: User, client: Client
) -> None:
    profile = mentor.mentor_profile
    url = reverse("mentors:profile", args=[profile.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("mentors:directory"), {"q": "product"}).context["page"].object_list

    domain.decide(profile, decision, note="Repeated no-shows.", by=staff)

    assert client.get(url).status_code == 404
    page = client.get(reverse("mentors:directory"), {"q": "product"}).context["page"]
    assert list(page.object_list) == []
    assert found() == []
    client.force_login(mentor)
    assert client.get(reverse("mentor:offerings")).status_code == 404


def test_a_mentor_with_the_code_of_conduct_pending_is_not_listed(mentor: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from mentor247.policies.domain import publish_version
    from mentor247.policies.models import Policy

    publish_version(
        Policy.objects.get(kind=PolicyKind.CONDUCT),
        text="A new text.",
        changes="Everything.",
        effective_at=timezone.now() - timedelta(seconds=1),
        published_by=None,
    )
    assert list(listed_profiles()) == []


# Offerings ------------------------------------------------------------------------------------


def test_changing_an_offering_keeps_what_was_bought(mentor: User) -> None:
    profile = mentor.mentor_profile
    first = domain.add_offering(profile, terms())

    second = domain.revise_offering(first, terms(price=500000, title="Three sessions, revised"))

    first.refresh_from_db()
    assert (first.price, first.title, first.retired_at is not None) == (
        450000,
        "Three sessions to your first data science role",
        True,
    )
    assert (second.replaces, second.price, second.currency) == (first, 500000, "EUR")
    assert list(profile.offerings.current().values_list("price", flat=True).order_by("price")) == [
        6000,
        500000,
    ]
    with pytest.raises(ValidationError):
        domain.revise_offering(first, terms())


def test_an_offering_needs_a_topic_for_every_session(mentor: User) -> None:
    with pytest.raises(ValidationError) as caught:
        domain.add_offering(mentor.mentor_profile, terms(session_count=4))
    assert list(caught.value.error_dict) == ["plan"]
    with pytest.raises(ValidationError) as caught:
        domain.add_offering(mentor.mentor_profile, terms(session_count=13, session_minutes=50))
    assert sorted(caught.value.error_dict) == ["session_count", "session_minutes"]
    assert Offering.objects.count() == 1


def test_a_free_offering_sets_the_lowest_price_to_zero(mentor: User) -> None:
    domain.add_offering(mentor.mentor_profile, terms(price=0, session_count=1, plan=["Intro"]))
    assert MentorProfile.objects.get().lowest_price == 0
    retired = Offering.objects.get(price=0)
    domain.retire_offering(retired)
    assert MentorProfile.objects.get().lowest_price == 6000


def test_the_currency_stays_while_priced_offerings_are_on_sale(mentor: User) -> None:
    profile = mentor.mentor_profile
    with pytest.raises(ValidationError) as caught:
        domain.update_profile(profile, details(currency="USD"))
    assert list(caught.value.error_dict) == ["currency"]
    assert MentorProfile.objects.get().currency == "EUR"


# Photos ---------------------------------------------------------------------------------------


def upload(data: bytes, name: str = "me.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_a_photo_is_stored_at_fixed_sizes(mentee: User) -> None:
    profile = domain.apply_as_mentor(
        mentee,
        details(),
        conduct_version_ids=conduct_ids(mentee),
        ip_address=None,
        user_agent="tests",
        photo=upload(png(900, 600)),
    )
    for size, side in SIZES.items():
        with default_storage.open(photo_name(profile.photo, size)) as stored:
            image = Image.open(stored)
            assert (image.format, image.size) == ("JPEG", (side, side))


def test_gps_metadata_is_stripped_from_photos(mentee: User) -> None:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (27.0, 42.0, 0.0), 3: "E", 4: (85.0, 19.0, 0.0)}  # GPS
    original = png(600, 600, exif=exif)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the upload carries GPS

    profile = apply(mentee)
    domain.update_profile(profile, details(), photo=upload(original, "me.jpg"))

    profile.refresh_from_db()
    for size in SIZES:
        with default_storage.open(photo_name(profile.photo, size)) as stored:
            data = stored.read()
            image = Image.open(io.BytesIO(data))
            assert dict(image.getexif()) == {}
            assert b"CameraMaker" not in data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a picture at all", "not a photo we can read"),
        (png(9000, 300), "at most 8000 pixels"),
        (png(120, 120), "at least 200 pixels"),
    ],
)
def test_uploads_that_are_not_usable_photos_are_refused(
    mentee: User, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        domain.apply_as_mentor(
            mentee,
            details(),
            conduct_version_ids=conduct_ids(mentee),
            ip_address=None,
            user_agent="tests",
            photo=upload(data),
        )
    assert message in caught.value.messages[0]
    assert MentorProfile.objects.count() == 0


def test_an_oversized_file_is_refused_before_it_is_decoded(mentee: User) -> None:
    big = upload(png() + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        domain.apply_as_mentor(
            mentee,
            details(),
            conduct_version_ids=conduct_ids(mentee),
            ip_address=None,
            user_agent="tests",
            photo=big,
        )
    assert caught.value.code == "too_large"


def test_the_application_form_shows_a_photo_error_and_keeps_nothing(
    mentee: User, client: Client
) -> None:
    client.force_login(mentee)
    form = {
        "headline": "Design leadership",
        "bio": "I lead design teams.",
        "expertise": "Design, Leadership",
        "years_of_experience": "12",
        "language_1": "en",
        "level_1": "4",
        "country": "GB",
        "time_zone": "Europe/London",
        "currency": "GBP",
        "accept_conduct": "on",
        "policy_versions": ",".join(str(pk) for pk in conduct_ids(mentee)),
        "photo": upload(b"GIF89a not really", "me.gif"),
    }
    response = client.post(reverse("mentors:apply"), form)
    assert response.status_code == 400
    assert "not a photo we can read" in response.content.decode()
    assert MentorProfile.objects.count() == 0

    form.pop("photo")
    response = client.post(reverse("mentors:apply"), form)
    assert response.status_code == 302
    assert MentorProfile.objects.get().status == Status.APPLIED


# Search ---------------------------------------------------------------------------------------


def test_expertise_matches_rank_above_mentions_in_a_bio(db: None) -> None:
    mention = make_profile(
        make_user("a@example.com", name="Alex Mention"),
        headline="Career coaching for engineers",
        bio="I coach engineers. Some of my mentees worked on kubernetes clusters.",
        expertise=("Career coaching",),
    )
    expert = make_profile(
        make_user("b@example.com", name="Bea Expert"),
        headline="Platform engineering leadership",
        bio="I lead platform teams and help engineers grow.",
        expertise=("Kubernetes", "Platform engineering"),
    )
    make_profile(make_user("c@example.com", name="Cy Other"), expertise=("Design",))

    results = found(text="Kubernetes")

    assert results == [expert, mention]


def test_search_finds_words_by_their_stem_and_ignores_syntax(mentor: User) -> None:
    profile = mentor.mentor_profile
    assert found(text="managing products") == [profile]
    assert found(text='product" ( -* : ^') == [profile]
    assert found(text="astronomy") == []


def test_filters_by_language_level_price_and_expertise(db: None) -> None:
    fluent = make_profile(
        make_user("a@example.com"),
        languages=(("es", Proficiency.FLUENT),),
        expertise=("Marketing",),
        currency="USD",
        prices=(5000, 20000),
    )
    make_profile(
        make_user("b@example.com"),
        languages=(("es", Proficiency.BASIC),),
        expertise=("Marketing",),
        currency="USD",
        prices=(5000,),
    )
    make_profile(make_user("c@example.com"), languages=(("fr", 4),), currency="EUR")

    def ids(**filters: Any) -> list[int]:
        return [p.pk for p in search_profiles(MentorFilters(**filters))]

    assert ids(language="es", min_proficiency=Proficiency.CONVERSATIONAL) == [fluent.pk]
    assert ids(expertise="marketing", language="es") == sorted(ids(language="es"))
    assert ids(currency="USD", min_price=10000, max_price=30000) == [fluent.pk]
    assert len(ids(currency="USD", max_price=5000)) == 2
    assert ids(currency="USD", max_price=4999) == []
    assert ids(currency="USD", min_price=20000) == [fluent.pk]
    # One offering must fit the whole range: 50 and 200 dollars do not make one of 60 to 190.
    assert ids(currency="USD", min_price=6000, max_price=19000) == []
    assert len(ids(currency="EUR")) == 1


def test_sorting_by_price_and_rating_is_stable(db: None) -> None:
    a = make_profile(make_user("a@example.com"), prices=(3000,))
    b = make_profile(make_user("b@example.com"), prices=(1000,))
    c = make_profile(make_user("c@example.com"), prices=(3000,))
    MentorProfile.objects.filter(pk=a.pk).update(rating_average=4.5, rating_count=3)
    MentorProfile.objects.filter(pk=c.pk).update(rating_average=4.9, rating_count=1)
    refresh_listing([a.pk, c.pk])  # as the writer of ratings does

    def ids(**filters: Any) -> list[int]:
        return list(search_profiles(MentorFilters(**filters)).values_list("pk", flat=True))

    assert ids(sort="price") == [b.pk, a.pk, c.pk]
    assert ids(sort="rating") == [c.pk, a.pk, b.pk]
    assert ids(min_rating=4.6) == [c.pk]


def test_working_hours_overlap_with_the_viewer(db: None) -> None:
    london = make_profile(make_user("a@example.com"), time_zone="Europe/London")
    madrid = make_profile(make_user("b@example.com"), time_zone="Europe/Madrid")
    make_profile(make_user("c@example.com"), time_zone="Pacific/Auckland")

    results = found(overlap_with="Europe/Berlin")

    assert results == [london, madrid]


def test_the_directory_keeps_the_query_in_the_url_and_pages_stably(
    db: None, client: Client
) -> None:
    for number in range(23):
        make_profile(make_user(f"m{number}@example.com"), prices=(1000 * (number % 3),))
    url = reverse("mentors:directory")

    query = {"sort": "price", "q": "product", "currency": "EUR"}
    first = client.get(url, query)
    second = client.get(url, {**query, "page": "2"})

    ids = [p.pk for p in first.context["page"]] + [p.pk for p in second.context["page"]]
    assert (len(ids), len(set(ids))) == (23, 23)
    assert "?sort=price&amp;q=product&amp;currency=EUR&amp;page=2" in first.content.decode()
    assert client.get(url, {**query, "page": "9999"}).context["page"].number == 2


def test_the_directory_counts_up_to_the_cap_and_asks_for_a_narrower_search(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mentor247.mentors.queries.PAGE_SIZE", 2)
    monkeypatch.setattr("mentor247.mentors.views.MAX_PAGES", 2)
    monkeypatch.setattr("mentor247.mentors.queries.RESULT_CAP", 4)
    made = [make_profile(make_user(f"m{n}@example.com"), prices=(1000 + n,)) for n in range(5)]
    url = reverse("mentors:directory")
    query = {"sort": "price", "currency": made[0].currency}

    first = client.get(url, query)
    last = client.get(url, {**query, "page": "2"})

    assert "More than 4 mentors found" in first.content.decode()
    assert list(first.context["page"]) + list(last.context["page"]) == made[:4]
    assert "That is as far as the list goes." in last.content.decode()
    assert "That is as far as the list goes." not in first.content.decode()
    assert client.get(url, {**query, "page": "3"}).context["page"].number == 2


def test_the_directory_explains_bad_filters_and_lists_nothing(db: None, client: Client) -> None:
    make_profile(make_user("a@example.com"))
    response = client.get(reverse("mentors:directory"), {"max_price": "50"})
    assert response.status_code == 400
    assert "Choose a currency to filter by price." in response.content.decode()
    assert response.context["page"] is None


def test_htmx_gets_only_the_results(mentor: User, client: Client) -> None:
    response = client.get(
        reverse("mentors:directory"), {"q": "product"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert (html.lstrip().startswith('<div id="results"'), "Max Mentor" in html) == (True, True)


def test_the_mentor_page_shows_offerings_local_time_and_no_reviews_yet(
    mentor: User, client: Client
) -> None:
    profile = mentor.mentor_profile
    domain.add_offering(profile, terms())
    html = client.get(reverse("mentors:profile", args=[profile.pk])).content.decode()
    for text in (
        "Max Mentor",
        "Interview practice",
        "A job offer; we do not write your projects for you.",
        "€4,500.00",
        "(Europe/London)",
        "No reviews yet",
    ):
        assert text in html


# Access ---------------------------------------------------------------------------------------


def test_only_the_owner_reaches_an_offering(mentor: User, client: Client) -> None:
    offering = mentor.mentor_profile.offerings.get()
    other = make_user("other.mentor@example.com", mentor=True)
    client.force_login(other)
    for name in ("mentor:edit_offering", "mentor:retire_offering"):
        assert client.post(reverse(name, args=[offering.pk])).status_code == 404
    assert Offering.objects.get(pk=offering.pk).retired_at is None


def test_mentor_pages_are_404_for_people_who_are_not_mentors(mentee: User, client: Client) -> None:
    client.force_login(mentee)
    for name in ("mentor:profile", "mentor:offerings", "mentor:new_offering"):
        assert client.get(reverse(name)).status_code == 404


def test_staff_pages_are_404_for_everyone_else(mentor: User, mentee: User, client: Client) -> None:
    profile = mentor.mentor_profile
    client.force_login(mentee)
    assert client.get(reverse("mentors_staff:list")).status_code == 404
    assert client.get(reverse("mentors_staff:mentor", args=[profile.pk])).status_code == 404
    response = client.post(
        reverse("mentors_staff:mentor", args=[profile.pk]),
        {"decision": Decision.SUSPEND, "note": "x"},
    )
    assert response.status_code == 404
    assert MentorProfile.objects.get().status == Status.APPROVED


def test_a_new_name_is_found_by_search(mentor: User) -> None:
    from mentor247.accounts.domain import update_preferences

    update_preferences(mentor, name="Maximilian Quillfeather")

    assert found(text="quillfeather") == [mentor.mentor_profile]


def test_text_beyond_its_limits_is_refused_with_a_message(mentor: User) -> None:
    with pytest.raises(ValidationError) as caught:
        domain.update_profile(
            mentor.mentor_profile, details(headline="h" * 121, bio="b" * 5001, country="XX")
        )
    assert sorted(caught.value.error_dict) == ["bio", "country", "headline"]
    with pytest.raises(ValidationError) as caught:
        domain.add_offering(
            mentor.mentor_profile,
            terms(title="t" * 121, not_included="n" * 3001, price=10**9),
        )
    assert sorted(caught.value.error_dict) == ["not_included", "price", "title"]


def test_both_engines_ignore_the_same_common_words(mentor: User) -> None:
    profile = mentor.mentor_profile
    assert found(text="the product managers") == [profile]
    # Only common words: no text to search by, so every listed mentor.
    assert found(text="the") == [profile]


def test_areas_that_slugify_alike_stay_apart(mentee: User, mentor: User) -> None:
    apply(mentee, expertise=["C", "C#", "C++", "日本語", "c#"])
    names = sorted(tag.name for tag in mentee.mentor_profile.expertise.all())
    assert names == ["C", "C#", "C++", "日本語"]
    domain.update_profile(mentor.mentor_profile, details(currency="EUR", expertise=["c++"]))
    assert [tag.name for tag in mentor.mentor_profile.expertise.all()] == ["C++"]
    assert len({tag.slug for tag in mentee.mentor_profile.expertise.all()}) == 4


def test_applying_needs_a_name(db: None) -> None:
    nameless = make_user("nameless@example.com")
    nameless.name = ""
    nameless.save()
    with pytest.raises(ValidationError) as caught:
        apply(nameless)
    assert caught.value.code == "name"


def test_a_large_picture_in_a_small_file_is_refused(mentee: User) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 6000), (255, 255, 255)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        domain.update_profile(apply(mentee), details(), photo=upload(buffer.getvalue()))
    assert caught.value.code == "too_many_pixels"


def test_a_failed_save_leaves_no_stored_photo(mentee: User, settings) -> None:
    profile = apply(mentee)
    media = settings.MEDIA_ROOT / "mentors"
    before = set(media.iterdir()) if media.exists() else set()
    with pytest.raises(ValidationError):
        domain.update_profile(profile, details(currency="XXX"), photo=upload(png()))
    with pytest.raises(ValidationError):
        # The details pass, the change does not: the profile was removed meanwhile.
        MentorProfile.objects.filter(pk=profile.pk).update(status=Status.REMOVED)
        domain.update_profile(profile, details(), photo=upload(png()))
    assert set(media.iterdir()) == before


def test_overlap_holds_in_the_weeks_when_summer_time_differs(db: None) -> None:
    from datetime import date

    from mentor247.mentors.queries import overlapping_zones

    # 2026-03-10: New York is on summer time (UTC-4), London not yet (UTC+0).
    for day in (date(2026, 3, 10), date(2026, 7, 1), date(2026, 12, 1)):
        zones = overlapping_zones("America/New_York", day)
        assert ("Europe/London" in zones, "Asia/Tokyo" in zones) == (True, False)
    # Kathmandu (UTC+5:45) and Berlin share 09:00-18:00 for 4h15 in winter.
    assert "Asia/Kathmandu" in overlapping_zones("Europe/Berlin", date(2026, 1, 15))
    assert "Pacific/Honolulu" not in overlapping_zones("Europe/Berlin", date(2026, 1, 15))


def test_prices_in_a_currency_without_cents_round_trip_through_the_form(
    mentor: User, client: Client
) -> None:
    profile = mentor.mentor_profile
    MentorProfile.objects.filter(pk=profile.pk).update(currency="JPY")
    Offering.objects.filter(profile=profile).update(retired_at=profile.applied_at)
    client.force_login(mentor)
    form = {
        "title": "One hour",
        "description": "Talk.",
        "session_count": "1",
        "session_minutes": "60",
        "price": "5000.5",
        "plan": "Your question",
        "expected_results": "An answer.",
        "not_included": "Homework.",
        "credit_days": "30",
    }
    response = client.post(reverse("mentor:new_offering"), form)
    assert "JPY prices cannot have that many decimals." in response.content.decode()
    client.post(reverse("mentor:new_offering"), {**form, "price": "5000"})
    offering = Offering.objects.current().get(profile=profile)
    assert (offering.price, offering.currency, offering.credit_days) == (5000, "JPY", 30)
    page = client.get(reverse("mentor:edit_offering", args=[offering.pk])).content.decode()
    assert 'name="price" value="5000"' in page


def test_bad_filters_are_told_in_the_htmx_results(db: None, client: Client) -> None:
    response = client.get(
        reverse("mentors:directory"), {"sort": "price"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert (response.status_code, "Choose a currency to sort by price." in html) == (200, True)


def test_an_applicant_alone_sees_their_page_until_it_is_listed(
    mentee: User, stranger: User, staff: User
) -> None:
    profile = apply(mentee)
    url = reverse("mentors:profile", args=[profile.pk])
    for viewer in (None, stranger):
        client = Client()
        if viewer is not None:
            client.force_login(viewer)
        assert client.get(url).status_code == 404
    own = Client()
    own.force_login(mentee)

    in_review = own.get(url)

    assert (in_review.status_code, in_review.context["listed"]) == (200, False)
    assert "Only you can see this page." in in_review.content.decode()
    assert (
        reverse("mentors:profile", args=[profile.pk])
        in own.get(reverse("mentors:apply")).content.decode()
    )
    domain.decide(profile, Decision.REQUEST_CHANGES, note="Say more about your clients.", by=staff)
    assert own.get(url).status_code == 200
    rejected = apply(stranger)
    domain.decide(rejected, Decision.REJECT, note="Not a fit for the platform.", by=staff)
    theirs = Client()
    theirs.force_login(stranger)
    assert theirs.get(reverse("mentors:profile", args=[rejected.pk])).status_code == 404


def test_a_suspended_mentor_does_not_see_their_page_either(mentor: User, staff: User) -> None:
    profile = mentor.mentor_profile
    url = reverse("mentors:profile", args=[profile.pk])
    own = Client()
    own.force_login(mentor)
    listed = own.get(url)
    assert (listed.status_code, listed.context["listed"]) == (200, True)
    assert "Only you can see this page." not in listed.content.decode()

    domain.decide(profile, Decision.SUSPEND, note="Reports of off-platform payments.", by=staff)

    assert own.get(url).status_code == 404


@pytest.mark.parametrize(
    ("currency", "reason"),
    [("KWD", "three decimal places"), ("BHD", "three decimal places"), ("XYZ", "listed")],
)
def test_a_currency_payments_cannot_take_is_refused_with_a_reason(
    mentor: User, currency: str, reason: str
) -> None:
    profile = mentor.mentor_profile
    MentorProfile.objects.filter(pk=profile.pk).update(currency="EUR")
    profile.offerings.all().delete()
    with pytest.raises(ValidationError) as caught:
        domain.update_profile(profile, details(currency=currency))
    assert reason in caught.value.message_dict["currency"][0]
    assert MentorProfile.objects.get().currency == "EUR"
