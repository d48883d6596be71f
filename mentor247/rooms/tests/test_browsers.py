"""What device a browser runs on: client hints first, then the user agent."""

import pytest

from mentor247.rooms.browsers import COMPUTER, PHONE, TABLET, asgi_headers, device_type


@pytest.mark.parametrize(
    ("user_agent", "kind"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/141.0.0.0 Safari/537.36",
            COMPUTER,
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
            PHONE,
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/141.0.0.0 Mobile Safari/537.36",
            PHONE,
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            TABLET,
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/141.0.0.0 Safari/537.36",
            TABLET,
        ),
        ("", COMPUTER),
    ],
)
def test_the_device_from_the_user_agent(user_agent: str, kind: str) -> None:
    assert device_type({"user-agent": user_agent}) == kind


@pytest.mark.parametrize(
    ("mobile_hint", "user_agent", "kind"),
    [
        ("?1", "Mozilla/5.0 (Linux; Android 10; K) Chrome/141.0.0.0 Safari/537.36", PHONE),
        ("?0", "Mozilla/5.0 (Linux; Android 10; K) Chrome/141.0.0.0 Safari/537.36", TABLET),
        ("?0", "Mozilla/5.0 (X11; Linux x86_64) Chrome/141.0.0.0 Safari/537.36", COMPUTER),
        # the client hint wins over a user agent that reads as a computer
        ("?1", "Mozilla/5.0 (X11; Linux x86_64) Chrome/141.0.0.0 Safari/537.36", PHONE),
    ],
)
def test_client_hints_come_first(mobile_hint: str, user_agent: str, kind: str) -> None:
    assert device_type({"sec-ch-ua-mobile": mobile_hint, "user-agent": user_agent}) == kind


def test_asgi_headers_are_read_in_lower_case() -> None:
    raw = [(b"User-Agent", b"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148")]
    assert device_type(asgi_headers(raw)) == PHONE
