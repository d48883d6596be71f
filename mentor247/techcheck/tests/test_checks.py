"""Recording checks (validation, rounding, pruning), the page and its POST, and the tag."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from mentor247.techcheck.domain import KEEP, record_check
from mentor247.techcheck.models import TechCheck
from mentor247.techcheck.queries import last_check

GOOD = {
    "camera": "ok",
    "microphone": "ok",
    "microphone_level": 0.2,
    "speaker": "heard",
    "rtt_ms": 42.4,
    "loss_percent": 1.25,
    "throughput_kbps": 4200.4,
}
DESKTOP = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Safari/537.36"
)
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Mobile Safari/537.36"
)


def _client(user, **kwargs):
    client = Client(headers={"user-agent": DESKTOP}, **kwargs)
    client.force_login(user)
    return client


# The domain -----------------------------------------------------------------------------------


def test_record_check_stores_rounded_figures_and_the_verdict(mentee):
    check = record_check(mentee, GOOD, device="computer")
    check.refresh_from_db()
    assert (check.verdict, check.rtt_ms, check.loss_permille, check.throughput_kbps) == (
        "good",
        42,
        12,
        4200,
    )
    assert (check.camera, check.microphone, check.speaker, check.device) == (
        "ok",
        "ok",
        "heard",
        "computer",
    )
    assert check.advice == []
    assert check.loss_percent == 1.2
    assert check.checked_at.utcoffset() == timedelta(0)


def test_record_check_finds_a_silent_microphone_from_its_level(mentee):
    at_threshold = record_check(mentee, {**GOOD, "microphone_level": 0.01}, device="computer")
    below = record_check(mentee, {**GOOD, "microphone_level": 0.0099}, device="computer")
    assert (at_threshold.microphone, below.microphone) == ("ok", "silent")
    assert (below.verdict, below.advice) == ("warning", ["microphone_silent"])


def test_record_check_without_network_figures_is_bad(mentee):
    check = record_check(
        mentee,
        {**GOOD, "rtt_ms": None, "loss_percent": None, "throughput_kbps": None},
        device="computer",
    )
    assert (check.verdict, check.rtt_ms, check.advice) == ("bad", None, ["network_failed"])


def test_record_check_keeps_a_denied_camera_without_a_microphone_level(mentee):
    check = record_check(
        mentee,
        {**GOOD, "camera": "denied", "microphone": "busy", "microphone_level": None},
        device="phone",
    )
    assert (check.verdict, check.advice) == ("bad", ["camera_denied", "microphone_busy", "phone"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"camera": "great"}, "camera"),
        ({"camera": None}, "camera"),
        ({"microphone": "silent"}, "microphone"),
        ({"microphone_level": None}, "microphone_level"),
        ({"microphone_level": 1.5}, "microphone_level"),
        ({"speaker": "yes"}, "speaker"),
        ({"rtt_ms": 0}, "rtt_ms"),
        ({"rtt_ms": "12"}, "rtt_ms"),
        ({"rtt_ms": True}, "rtt_ms"),
        ({"rtt_ms": 60_001}, "rtt_ms"),
        ({"loss_percent": -1}, "loss_percent"),
        ({"loss_percent": 100.1}, "loss_percent"),
        ({"loss_percent": None}, "loss_percent"),
        ({"throughput_kbps": -5}, "throughput_kbps"),
        ({"throughput_kbps": 10**9}, "throughput_kbps"),
        ({"sdp": "v=0"}, "__all__"),
    ],
)
def test_record_check_refuses_bad_figures_and_stores_nothing(mentee, change, field):
    with pytest.raises(ValidationError) as refused:
        record_check(mentee, {**GOOD, **change}, device="computer")
    assert list(refused.value.message_dict) == [field]
    assert TechCheck.objects.count() == 0


def test_record_check_refuses_an_unknown_device(mentee):
    with pytest.raises(ValidationError) as refused:
        record_check(mentee, GOOD, device="toaster")
    assert list(refused.value.message_dict) == ["device"]
    assert TechCheck.objects.count() == 0


def test_record_check_keeps_the_latest_checks_of_each_person(mentee, mentor):
    others = record_check(mentor, GOOD, device="computer")
    first = record_check(mentee, GOOD, device="computer")
    for _ in range(KEEP):
        record_check(mentee, GOOD, device="computer")
    assert TechCheck.objects.filter(user=mentee).count() == KEEP
    assert not TechCheck.objects.filter(pk=first.pk).exists()
    assert TechCheck.objects.filter(pk=others.pk).exists()


def test_last_check_is_the_newest_or_none(mentee, mentor):
    assert last_check(mentee) is None
    record_check(mentee, GOOD, device="computer")
    newest = record_check(mentee, {**GOOD, "speaker": "unknown"}, device="computer")
    record_check(mentor, GOOD, device="computer")
    assert last_check(mentee) == newest


# The page and its POST ------------------------------------------------------------------------


def test_page_asks_anonymous_visitors_to_log_in(db):
    response = Client().get(reverse("techcheck:page"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_page_offers_a_safe_way_back_only(mentee):
    client = _client(mentee)
    safe = client.get(reverse("techcheck:page"), {"next": "/bookings/12/room/"})
    assert safe.status_code == 200
    assert 'href="/bookings/12/room/"' in safe.text
    assert "Back to your session" in safe.text
    for unsafe in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.get(reverse("techcheck:page"), {"next": unsafe})
        assert "Back to your session" not in response.text, unsafe


def test_page_lists_recent_checks(mentee):
    record_check(mentee, {**GOOD, "speaker": "not_heard"}, device="computer")
    response = _client(mentee).get(reverse("techcheck:page"))
    assert "Your recent checks" in response.text
    assert 'techcheck-badge techcheck-bad">bad<' in response.text


def test_record_view_answers_with_verdict_and_advice(mentee):
    client = Client(headers={"user-agent": PHONE})
    client.force_login(mentee)
    response = client.post(
        reverse("techcheck:record"), json.dumps(GOOD), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["verdict"], [item["code"] for item in body["advice"]]) == ("warning", ["phone"])
    assert body["advice"][0]["text"].startswith("You are on a phone.")
    assert body["figures"]["network"] == "Round trip 42 ms, loss 1.2 %, throughput 4200 kbit/s."
    assert TechCheck.objects.get().device == "phone"


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", json.dumps({**GOOD, "rtt_ms": -3}), json.dumps({"x": "y" * 5000})],
)
def test_record_view_refuses_bad_input_with_a_message(mentee, body):
    response = _client(mentee).post(
        reverse("techcheck:record"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert TechCheck.objects.count() == 0


def test_record_view_needs_the_csrf_token(mentee):
    client = _client(mentee, enforce_csrf_checks=True)
    response = client.post(
        reverse("techcheck:record"), json.dumps(GOOD), content_type="application/json"
    )
    assert response.status_code == 403
    assert TechCheck.objects.count() == 0


def test_record_view_refuses_anonymous_visitors(db):
    response = Client().post(
        reverse("techcheck:record"), json.dumps(GOOD), content_type="application/json"
    )
    assert response.status_code == 302
    assert TechCheck.objects.count() == 0


# The template tag ----------------------------------------------------------------------------


def _line(person, viewer, path="/bookings/7/room/"):
    request = RequestFactory().get(path)
    template = Template("{% load techcheck %}{% last_tech_check person viewer %}")
    return template.render(Context({"person": person, "viewer": viewer, "request": request}))


def test_tag_tells_the_viewer_of_their_own_last_check(mentee):
    check = record_check(mentee, GOOD, device="computer")
    TechCheck.objects.filter(pk=check.pk).update(
        checked_at=timezone.now() - timedelta(minutes=12, seconds=5)
    )
    line = _line(mentee, mentee)
    assert "Your last tech check was 12\xa0minutes ago: good." in line
    assert 'href="/tech-check/?next=/bookings/7/room/">Check again</a>' in line


def test_tag_tells_the_other_person_of_the_check(mentee, mentor):
    record_check(mentee, {**GOOD, "speaker": "not_heard"}, device="computer")
    line = _line(mentee, mentor)
    assert "Mia Mentee's last tech check was just now: bad." in line
    assert "Check again" not in line


def test_tag_without_a_check_links_the_person_to_the_page(mentee, mentor):
    own = _line(mentee, mentee, "/bookings/7/room/?x=1&y=2")
    assert "You have no tech check yet." in own
    assert 'href="/tech-check/?next=/bookings/7/room/%3Fx%3D1%26y%3D2"' in own
    other = _line(mentee, mentor)
    assert "Mia Mentee has no tech check yet." in other
    assert "/tech-check/" not in other
    mentee.name = "<b>Mia</b>"
    assert "&lt;b&gt;Mia&lt;/b&gt; has no tech check yet." in _line(mentee, mentor)
