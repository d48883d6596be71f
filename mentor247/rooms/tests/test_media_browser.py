"""The green room tells why the camera or microphone did not start, in the words the room's
script is given (the same causes the tech check tells apart)."""

from typing import Any

import pytest

from mentor247.accounts.models import User
from mentor247.bookings.tests.conftest import make_bookable
from mentor247.conftest import Visitor
from mentor247.rooms.domain import room_for
from mentor247.rooms.tests.conftest import session_now
from mentor247.rooms.views import _strings

REFUSE = """navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("refused", "%s"));"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("error", "key"),
    [
        ("NotAllowedError", "denied"),
        ("NotFoundError", "no_device"),
        ("NotReadableError", "busy"),
        ("TypeError", "media_error"),
    ],
)
def test_green_room_says_why_the_camera_did_not_start(
    visitor: Visitor, mentee: User, error: str, key: str
) -> None:
    booking = session_now(make_bookable("max.mentor@example.com").hour, mentee)
    page: Any = visitor.page
    page.add_init_script(REFUSE % error)
    visitor.log_in(mentee.email)
    visitor.goto(f"/rooms/{room_for(booking).key}/")
    page.wait_for_selector("#door-message:not([hidden])")
    assert page.text_content("#door-message") == _strings()[key]
    page.click("#join")  # tries again, and is told again
    page.wait_for_function("() => !document.getElementById('join').disabled")
    assert page.text_content("#door-message") == _strings()[key]
