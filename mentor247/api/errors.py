"""The one shape of every error the API answers, in every mode and from every layer:

    {"code": "not_found", "detail": "A sentence for a person.", "errors": {"field": ["…"]}}

`code` is stable for programs to act on, `detail` is in the request's language, and `errors`
holds messages by field when fields were wrong. The operations' handlers (registered on the API
by `install`) shape what ninja and the domain raise; `api_errors`, a middleware, shapes what
never reaches ninja (an unknown address, a method not allowed, Django's own 400/403/500 pages)
and refuses a body over API_MAX_BODY_BYTES with 413 before anything parses it. (The running
server refuses such a body earlier still, as it arrives: lib.body_limit.)
"""

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestValidationError

from mentor247.bookings.domain import Busy, Conflict

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Pages under API_PREFIX that are not the API's JSON: the documentation.
NOT_JSON = ("/api/docs",)

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "busy",
}


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be read."),
        401: _("Log in, or send a personal API token as “Authorization: Bearer <token>”."),
        403: _("You may not do this."),
        404: _("There is nothing here, or it is not yours to see."),
        405: _("This address does not take that method."),
        409: _("That cannot be done in the state things are in now."),
        413: _("The request is too large: send at most %(size)s bytes.")
        % {"size": settings.API_MAX_BODY_BYTES},
        415: _("Send the body as JSON (Content-Type: application/json)."),
        422: _("Some fields are not valid; see “errors” for each."),
        429: _("Too many requests: please wait a moment and try again."),
        500: _("Something went wrong on our side. It has been logged; please try again later."),
        503: _("The service is busy: please try again in a moment."),
    }


def code_for(status: int) -> str:
    return CODES.get(status, "client_error" if status < 500 else "server_error")


def error_body(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, object]:
    return {
        "code": code or code_for(status),
        "detail": detail or _messages().get(status, ""),
        "errors": errors or {},
    }


def error_response(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: dict[str, list[str]] | None = None,
) -> JsonResponse:
    return JsonResponse(error_body(status, detail, code=code, errors=errors), status=status)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX) and not request.path.startswith(NOT_JSON)


def api_errors(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Middleware: under /api/, a body over API_MAX_BODY_BYTES is refused with 413 unparsed, and
    any error answered by a layer other than the API's own (Django's pages, a 405 in plain
    text) is given the API's JSON shape with the same status."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not _is_api(request):
            return get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, _("The Content-Length header is not a number."))
        if length > settings.API_MAX_BODY_BYTES:
            return error_response(413)
        response = get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            shaped = error_response(response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response

    return middleware


def install(api: "NinjaAPI") -> None:
    """Registers on `api` a handler for each kind of error its operations can raise."""

    def respond(
        request: HttpRequest,
        status: int,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> HttpResponse:
        body = error_body(status, detail, code=code, errors=errors)
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def domain_refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
        """A domain function's (or a filter's) ValidationError: 422, its messages all in
        "detail" and, for those about a field, by field in "errors"; its code when it has one."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {}
        fields = {name: messages for name, messages in by_field.items() if name != NON_FIELD_ERRORS}
        codes = {item.code for item in error.error_list} if hasattr(error, "error_list") else set()
        code = codes.pop() if len(codes) == 1 and None not in codes else None
        return respond(request, 422, " ".join(error.messages), code=code, errors=fields)

    @api.exception_handler(RequestValidationError)
    def request_refused(request: HttpRequest, error: RequestValidationError) -> HttpResponse:
        """A request that does not fit the schema: 422, messages keyed by the field's path."""
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        for item in error.errors:
            # ("query", "min_price") or ("body", "payload", "plan", 0): drop source and parameter.
            location = [str(part) for part in item.get("loc", ())[1:]]
            if item.get("loc", ("",))[0] == "body" and location:
                location = location[1:]
            message = str(item.get("msg", "")).removeprefix("Value error, ")
            if location:
                by_field.setdefault(".".join(location), []).append(message)
            else:
                general.append(message)
        return respond(request, 422, " ".join(general) or None, errors=by_field)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return respond(request, 404)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, error: Conflict) -> HttpResponse:
        """A time that cannot be had (taken meanwhile, or not free): 409, saying why."""
        return respond(request, 409, error.message, code=error.code)

    @api.exception_handler(Busy)
    def busy(request: HttpRequest, error: Busy) -> HttpResponse:
        """Too busy to decide now, nothing written: 503, to be sent again in a moment."""
        response = respond(request, 503, error.message)
        response["Retry-After"] = "2"
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
        response = respond(request, 429)
        if error.wait is not None:
            response["Retry-After"] = str(max(1, round(error.wait)))
        return response

    @api.exception_handler(HttpError)
    def refused(request: HttpRequest, error: HttpError) -> HttpResponse:
        if isinstance(error.__cause__, RequestDataTooBig):
            return respond(request, 413)
        if isinstance(error.__cause__, json.JSONDecodeError | UnicodeDecodeError):
            return respond(request, 400, _("The body is not valid JSON."))
        message = str(error)
        if message == "Cannot parse request body":  # ninja's own, for a body it cannot read
            message = _("The body is not valid JSON.")
        return respond(request, error.status_code, message)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        detail = str(error)
        if detail == AuthenticationError().message:  # ninja's own, when no credentials came
            detail = ""
        response = respond(request, error.status_code, detail or None)
        if error.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413)

    @api.exception_handler(Exception)
    def failed(request: HttpRequest, error: Exception) -> HttpResponse:
        """Anything else is a defect: logged with its traceback, answered 500 in the shape."""
        logger.exception("The API failed on %s %s", request.method, request.path)
        return respond(request, 500)
