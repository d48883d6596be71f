"""A person's name goes into email subjects and calendar files, so it is refused with a clear
message wherever it is set if it holds line breaks or other control characters; subjects are
plain text on one line whatever they are given."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from mentor247.accounts.domain import update_preferences
from mentor247.accounts.models import User
from mentor247.conftest import PASSWORD, Outbox
from mentor247.lib.mail import queue_email, render_subject
from mentor247.lib.text import one_line, validate_person_name
from mentor247.policies.models import PolicyAcceptance, PolicyVersion

REFUSED = "A name cannot contain line breaks, tabs or other control characters."
BAD_NAMES = [
    "Lena\r\nBcc: eve@example.com",
    "Lena\nMüller",
    "Lena\rMüller",
    "Lena\tMüller",
    "Lena\x00",
    "Lena\x1b[31m",
    "Lena\x7f",
    "Lena\x85Müller",  # NEXT LINE, a C1 control
    "Lena\u2028Müller",  # LINE SEPARATOR
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_name_with_control_characters_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_person_name(name)
    assert refused.value.messages == [REFUSED]


@pytest.mark.parametrize(
    "name", ['Lena "the coach" Müller', "José O'Brien-Łukasz", "李娜", "Ana ❤"]
)
def test_names_people_have_are_accepted(name: str) -> None:
    validate_person_name(name)
    assert one_line(name) == name


def test_one_line_turns_every_break_and_control_into_one_space() -> None:
    assert one_line("  a\r\n\r\nb\tc\x00d\x85e\u2029f  ") == "a b c d e f"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Lena\r\nBcc: eve@example.com", "Lena\x85Müller"])
def test_sign_up_refuses_a_name_with_control_characters_and_creates_nothing(name: str) -> None:
    versions = PolicyVersion.objects.in_effect().filter(policy__kind__in=["terms", "privacy"])
    ids = ",".join(str(v.pk) for v in sorted(versions, key=lambda v: v.policy.kind != "terms"))
    response = Client().post(
        "/accounts/signup/",
        {
            "name": name,
            "email": "lena@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_policies": "on",
            "policy_versions": ids,
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not User.objects.exists()
    assert not PolicyAcceptance.objects.exists()


@pytest.mark.django_db
def test_preferences_refuse_a_name_with_control_characters_and_change_nothing(
    mentee: User,
) -> None:
    client = Client()
    client.force_login(mentee)
    url = reverse("accounts:preferences")
    response = client.post(
        url, {"name": "Mia\r\nMentee", "time_zone": "Asia/Tokyo", "language": "en"}
    )
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    mentee.refresh_from_db()
    assert (mentee.name, mentee.time_zone) == ("Mia Mentee", "UTC")
    with pytest.raises(ValidationError):
        update_preferences(mentee, name="Mia\x85Mentee", time_zone="Asia/Tokyo")
    mentee.refresh_from_db()
    assert (mentee.name, mentee.time_zone) == ("Mia Mentee", "UTC")


def test_subjects_are_rendered_as_plain_text_on_one_line(db: None) -> None:
    other = User(name='Lena" <b>&amp;\r\nBcc: eve@example.com')
    subject = render_subject(
        "bookings/email/change_subject.txt", {"change": "confirmed", "other": other}
    )
    assert subject == 'Mentoring with Lena" <b>&amp; Bcc: eve@example.com is booked'


def test_the_wrap_up_subject_writes_the_mentors_name_as_it_is() -> None:
    mentor = User(name='Lena "the coach" & co')
    subject = render_to_string("rooms/email/wrap_up_subject.txt", {"mentor": mentor})
    assert subject.strip() == 'Lena "the coach" & co sent you the wrap-up of your session'


@pytest.mark.django_db(transaction=True)
def test_a_queued_subject_with_line_breaks_arrives_on_one_line(
    smtp_outbox: Outbox, settings: Any
) -> None:
    queue_email(EmailMessage("Hello\r\nBcc: eve@example.com\r\n", "Body.", to=["lena@example.com"]))
    message = smtp_outbox.wait_for("lena@example.com")
    assert (message["Subject"], message["Bcc"]) == ("Hello Bcc: eve@example.com", None)
