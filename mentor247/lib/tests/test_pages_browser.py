"""The main pages on a 360-pixel phone: readable, accessible, and switchable to Spanish."""

import pytest

from mentor247.conftest import Visitor

PAGES = [
    ("home", "/"),
    ("signup", "/accounts/signup/"),
    ("login", "/accounts/login/"),
    ("password-reset", "/accounts/password/reset/"),
    ("terms", "/policies/terms/"),
    ("privacy", "/policies/privacy/"),
    ("conduct", "/policies/conduct/"),
]


@pytest.mark.django_db(transaction=True)
def test_main_pages_fit_a_phone_and_pass_axe(phone_visitor: Visitor) -> None:
    page = phone_visitor.page
    for name, path in PAGES:
        response = phone_visitor.goto(path)
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        phone_visitor.screenshot(f"{name}-phone")


@pytest.mark.django_db(transaction=True)
def test_the_language_switcher_shows_the_site_in_spanish(phone_visitor: Visitor) -> None:
    page = phone_visitor.page
    phone_visitor.goto("/")
    page.select_option("#language-select", "es")
    with page.expect_navigation():
        page.click(".language-form button")
    phone_visitor.check()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Crea tu cuenta").is_visible()
    # The zone the browser reported is used for visitors, and named.
    assert page.get_by_text("Las horas se muestran en America/New_York.").is_visible()
