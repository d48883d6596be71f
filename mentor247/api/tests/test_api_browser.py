"""The API's documentation and the token pages in a real browser, under the site's CSP."""

from mentor247.api.models import ApiToken
from mentor247.conftest import PASSWORD, Visitor, make_user


def test_api_docs_render_swagger_ui_with_the_mentor_endpoints(visitor: Visitor) -> None:
    page = visitor.page

    response = page.goto(visitor.url("/api/docs"))
    page.locator(".opblock").first.wait_for()
    visitor.check()

    assert response.status == 200
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/mentors", "/api/mentors/{mentor_id}", "/api/me/profile"} <= {
        path.replace("\u200b", "") for path in paths
    }
    assert page.locator("html").get_attribute("lang") == "en"

    # An operation opened shows its parameters, and still passes.
    page.locator(".opblock-summary-control").first.click()
    page.locator(".parameters").first.wait_for()
    visitor.check()
    assert page.locator(".parameters").first.get_by_text("min_price").is_visible()

    # "Try it out" calls the API from the page (connect-src 'self') and shows the answer.
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    page.locator(".live-responses-table tbody .response-col_status").first.wait_for()
    visitor.check()
    assert (
        "200" in page.locator(".live-responses-table tbody .response-col_status").first.inner_text()
    )
    visitor.screenshot("api-docs-desktop")


def test_token_is_made_shown_once_used_and_revoked(visitor: Visitor) -> None:
    user = make_user("tom.tokens@example.com", name="Tom Tokens", mentor=True)
    page = visitor.page
    visitor.log_in(user.email)

    visitor.goto("/me/settings/")
    with page.expect_navigation():
        page.get_by_role("link", name="Personal API tokens").click()
    visitor.check()
    assert page.get_by_text("You have no tokens yet.").is_visible()

    # Making a token asks for the password again, then goes on with the request (allauth
    # answers the password form with the tokens page itself).
    page.fill("input[name=name]", "Calendar sync")
    visitor.submit("button[name=create]", expect_path="/accounts/reauthenticate/")
    page.fill("input[name=password]", PASSWORD)
    visitor.submit("main form button[type=submit]")
    secret = page.input_value("#new-token-secret")
    assert secret.startswith("m247_")
    assert page.get_by_text("this is the only time we show it").is_visible()
    visitor.screenshot("api-token-made-desktop")

    # The token works; the page never shows it again.
    api = page.request.get(
        visitor.url("/api/me/profile"), headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status == 200
    visitor.goto("/me/tokens/")
    assert secret not in page.content()
    assert page.locator("#new-token-secret").count() == 0
    token = ApiToken.objects.get(user=user)
    assert page.get_by_text("Last used").is_visible()

    visitor.submit(f"#token-{token.pk} button[type=submit]", expect_path="/me/tokens/")
    assert page.get_by_text("The token “Calendar sync” is revoked").is_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = page.request.get(
        visitor.url("/api/me/profile"), headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 401


def test_token_is_made_with_chosen_scopes_and_life_and_shows_them(visitor: Visitor) -> None:
    user = make_user("bea.bookings@example.com", name="Bea Bookings")
    page = visitor.page
    visitor.log_in(user.email)
    visitor.goto("/accounts/reauthenticate/?next=/me/tokens/")
    page.fill("input[name=password]", PASSWORD)
    visitor.submit("main form button[type=submit]", expect_path="/me/tokens/")

    # Read is ticked to begin with; this token may book instead, for a week.
    assert page.get_by_label("Read your profile, offerings, availability and bookings").is_checked()
    page.get_by_label("Read your profile, offerings, availability and bookings").uncheck()
    page.get_by_label("Book, move and cancel sessions").check()
    page.get_by_label("Works for").select_option("7")
    page.fill("input[name=name]", "Booking bot")
    visitor.submit("button[name=create]", expect_path="/me/tokens/")
    secret = page.input_value("#new-token-secret")
    token = ApiToken.objects.get(user=user)
    assert (token.scopes, (token.expires_at - token.created_at).days) == (["book"], 7)
    card = page.locator(f"#token-{token.pk}")
    assert card.get_by_text("Book, move and cancel sessions").is_visible()
    assert card.get_by_text("Works until").is_visible()
    assert card.get_by_text("Never").is_visible()
    visitor.screenshot("api-token-scopes-desktop")

    # Reading needs the scope it was not given.
    refused = page.request.get(
        visitor.url("/api/me/bookings"), headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 403
    assert "needs the scope “read”" in refused.json()["detail"]

    # Nothing ticked: the page says what to do and makes nothing.
    page.get_by_label("Read your profile, offerings, availability and bookings").uncheck()
    page.fill("input[name=name]", "Nothing at all")
    visitor.submit("button[name=create]", expect_path="/me/tokens/")
    assert page.get_by_text("Choose at least one thing the token may do.").is_visible()
    assert ApiToken.objects.filter(user=user).count() == 1
