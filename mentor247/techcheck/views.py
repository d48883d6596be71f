import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.rooms.browsers import device_type
from mentor247.techcheck import verdict
from mentor247.techcheck.domain import record_check
from mentor247.techcheck.queries import recent_checks

MAX_BODY_BYTES = 4096


def _strings() -> dict[str, str]:
    """What the tech check's script says, in the viewer's language: with %(name)s for what it
    fills in, and %% for a percent sign, as in Python."""
    return {
        "starting": _("Starting your camera and microphone…"),
        "running": _("The check is running…"),
        "camera_ok": _("This is what the other person will see."),
        "heard": _("We hear you."),
        "not_heard_yet": _(
            "We hear nothing from this microphone yet: say a few words, and check it is not muted."
        ),
        "playing": _("Playing the test sound…"),
        "no_sound": _("This browser cannot play the test sound. Try another browser."),
        "answered": _("Thank you, noted."),
        "connecting": _("Connecting to our test server…"),
        "measuring_rtt": _("Measuring the round trip…"),
        "measuring_loss": _("Measuring loss…"),
        "measuring_throughput": _("Measuring throughput…"),
        "network_done": _("Connection measured."),
        "busy": _("Our test server is busy. Please try again in a minute."),
        "waiting_speaker": _("Measurements done. Answer the speaker question to see your result."),
        "sending": _("Working out your result…"),
        "not_saved": _("Your result could not be saved:"),
        "offline": _("Our server could not be reached. Check you are online and try again."),
        "nothing_to_fix": _("Nothing to fix."),
        "done": _("The check is done."),
        "ms": _("%(value)s ms"),
        "percent": _("%(value)s %%"),
        "kbps": _("%(value)s kbit/s"),
        "camera_n": _("Camera %(n)s"),
        "microphone_n": _("Microphone %(n)s"),
        "speaker_n": _("Speakers %(n)s"),
        **{code: str(text) for code, text in verdict.ADVICE.items()},
    }


@login_required
@require_GET
def page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The tech check: camera, microphone, speakers and connection, any time. `next` (a path
    on this site, e.g. a session's room) is offered as the way back once the verdict is in."""
    return render(
        request,
        "techcheck/page.html",
        {
            "back_url": _safe_next(request),
            "recent": recent_checks(request.user, limit=5),
            "strings": _strings(),
        },
    )


@login_required
@require_POST
def record(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Stores what the page measured, as JSON, and answers with the verdict and its advice."""
    if len(request.body) > MAX_BODY_BYTES:
        return _refused(_("The figures sent are too large."))
    try:
        measurements = json.loads(request.body)
    except ValueError:
        measurements = None
    if not isinstance(measurements, dict):
        return _refused(_("The figures sent could not be read."))
    try:
        check = record_check(
            request.user, measurements, device=verdict.Device(device_type(request.headers))
        )
    except ValidationError as error:
        return _refused(" ".join(error.messages))
    level = verdict.Level(check.verdict)
    return JsonResponse(
        {
            "verdict": level.value,
            "headline": str(verdict.HEADLINES[level]),
            "advice": [{"code": code, "text": str(verdict.ADVICE[code])} for code in check.advice],
            "figures": _figures(check.rtt_ms, check.loss_percent, check.throughput_kbps),
        },
        status=201,
    )


def _figures(rtt_ms: int | None, loss: float | None, kbps: int | None) -> dict[str, Any]:
    if rtt_ms is None or loss is None or kbps is None:
        return {"network": _("Not measured: the test could not connect.")}
    return {
        "network": _("Round trip %(rtt)s ms, loss %(loss)s %%, throughput %(kbps)s kbit/s.")
        % {
            "rtt": formats.number_format(rtt_ms),
            "loss": formats.number_format(loss, 1),
            "kbps": formats.number_format(kbps),
        }
    }


def _refused(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
