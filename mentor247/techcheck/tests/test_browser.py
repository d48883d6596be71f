"""The whole tech check in Chromium (fake camera and microphone), against uvicorn."""

import pytest

from mentor247.conftest import Visitor
from mentor247.techcheck.models import TechCheck
from mentor247.techcheck.verdict import ADVICE


@pytest.mark.django_db(transaction=True)
def test_tech_check_runs_and_stores_what_it_measured(visitor: Visitor, mentee) -> None:
    page = visitor.page
    visitor.log_in(mentee.email)
    visitor.goto("/tech-check/?next=/bookings/")
    page.click("#tc-start")
    page.click("#tc-play")
    page.click("[data-speaker=not_heard]")
    page.wait_for_selector("#tc-after:not([hidden])", timeout=30_000)

    assert page.text_content("#tc-camera-message") == "This is what the other person will see."
    assert page.text_content("#tc-microphone-message") == "We hear you."
    assert page.text_content("#tc-verdict") == (
        "Not ready: fix what is listed below, then run the check again."
    )
    advice = page.locator("#tc-advice li")
    assert advice.evaluate_all("items => items.map(item => item.dataset.code)") == [
        "speaker_not_heard"
    ]
    assert advice.first.text_content() == str(ADVICE["speaker_not_heard"])
    assert page.get_by_role("link", name="Back to your session").get_attribute("href") == (
        "/bookings/"
    )
    visitor.check()
    visitor.screenshot("tech-check")

    check = TechCheck.objects.get(user=mentee)
    assert (check.verdict, check.camera, check.microphone, check.speaker, check.device) == (
        "bad",
        "ok",
        "ok",
        "not_heard",
        "computer",
    )
    assert check.rtt_ms is not None and 0 < check.rtt_ms < 1000
    assert check.loss_permille is not None and check.loss_permille <= 1000
    assert check.throughput_kbps is not None and check.throughput_kbps > 0
    shown = page.text_content("#tc-figures")
    assert f"Round trip {check.rtt_ms} ms" in shown


@pytest.mark.django_db(transaction=True)
def test_tech_check_explains_a_camera_and_microphone_refused(visitor: Visitor, mentee) -> None:
    page = visitor.page
    # As when the person clicks "Block" in the browser's permission prompt.
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () =>"
        " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
    )
    visitor.log_in(mentee.email)
    visitor.goto("/tech-check/")
    page.click("[data-speaker=unknown]")
    page.click("#tc-start")
    page.wait_for_selector("#tc-after:not([hidden])", timeout=30_000)

    assert page.text_content("#tc-camera-message") == str(ADVICE["camera_denied"])
    assert page.text_content("#tc-microphone-message") == str(ADVICE["microphone_denied"])
    codes = page.locator("#tc-advice li").evaluate_all(
        "items => items.map(item => item.dataset.code)"
    )
    assert codes == ["camera_denied", "microphone_denied", "speaker_unknown"]
    assert page.get_by_role("link", name="Back to your session").count() == 0
    visitor.check()
    check = TechCheck.objects.get(user=mentee)
    assert (check.verdict, check.camera, check.microphone) == ("bad", "denied", "denied")


@pytest.mark.django_db(transaction=True)
def test_tech_check_page_fits_a_phone(phone_visitor: Visitor, mentee) -> None:
    phone_visitor.log_in(mentee.email)
    phone_visitor.goto("/tech-check/")
    overflow = phone_visitor.page.evaluate(
        "document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0
    phone_visitor.screenshot("tech-check-phone")
