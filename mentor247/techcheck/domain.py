"""The only writer of tech checks."""

import math
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.techcheck import verdict
from mentor247.techcheck.models import TechCheck
from mentor247.techcheck.verdict import Camera, Device, Figures, Microphone, Speaker

# The checks kept per person: enough to see a trend, few enough never to matter.
KEEP = 20
# What a browser may report for a device it could not use (Microphone.SILENT is our finding).
_ACCESS = ("ok", "denied", "missing", "busy", "failed")
_FIELDS = frozenset(
    {
        "camera",
        "microphone",
        "microphone_level",
        "speaker",
        "rtt_ms",
        "loss_percent",
        "throughput_kbps",
    }
)
_DEVICES = tuple(device.value for device in Device)
_SPEAKERS = tuple(answer.value for answer in Speaker)
MAX_RTT_MS = 60_000
MAX_THROUGHPUT_KBPS = 10_000_000


def record_check(user: User, measurements: Mapping[str, object], *, device: str) -> TechCheck:
    """Judges what `user`'s browser measured (techcheck.verdict) and stores it with the
    verdict, then forgets all but the person's KEEP latest checks. `measurements` are as the
    browser sent them (the keys of _FIELDS; the three network figures all null when the test
    could not connect); `device` is a Device value. Bad input raises ValidationError, with a
    message per field, and stores nothing. Two checks of one person saved at the same moment
    may leave KEEP + 1 for a while: the next check trims it."""
    figures = _figures(measurements, device)
    judged = verdict.judge(figures)
    loss = figures.loss_percent
    with transaction.atomic():
        check = TechCheck.objects.create(
            user=user,
            checked_at=timezone.now(),
            verdict=judged.level,
            rtt_ms=figures.rtt_ms,
            loss_permille=None if loss is None else round(loss * 10),
            throughput_kbps=figures.throughput_kbps,
            camera=figures.camera,
            microphone=figures.microphone,
            speaker=figures.speaker,
            device=figures.device,
            advice=list(judged.advice),
        )
        kept = TechCheck.objects.filter(user=user).order_by("-checked_at", "-id")[:KEEP]
        TechCheck.objects.filter(user=user).exclude(
            pk__in=list(kept.values_list("pk", flat=True))
        ).delete()
    return check


def _figures(measurements: Mapping[str, object], device: str) -> Figures:
    errors: dict[str, str] = {}
    unknown = sorted(set(measurements) - _FIELDS)
    if unknown:
        errors["__all__"] = _("These figures are not part of a tech check: %(names)s.") % {
            "names": ", ".join(unknown)
        }
    if device not in _DEVICES:
        errors["device"] = _("The kind of device is not known.")
    camera = measurements.get("camera")
    if camera not in _ACCESS:
        errors["camera"] = _("Say whether the camera worked (%(choices)s).") % {
            "choices": ", ".join(_ACCESS)
        }
    microphone = measurements.get("microphone")
    if microphone not in _ACCESS:
        errors["microphone"] = _("Say whether the microphone worked (%(choices)s).") % {
            "choices": ", ".join(_ACCESS)
        }
    level = _number(measurements.get("microphone_level"))
    if microphone == "ok" and (level is None or not 0 <= level <= 1):
        errors["microphone_level"] = _(
            "The microphone's loudest level must be a number from 0 to 1."
        )
    speaker = measurements.get("speaker")
    if speaker not in _SPEAKERS:
        errors["speaker"] = _("Say whether the test sound was heard (%(choices)s).") % {
            "choices": ", ".join(_SPEAKERS)
        }
    network = {
        name: measurements.get(name) for name in ("rtt_ms", "loss_percent", "throughput_kbps")
    }
    rtt = loss = throughput = None
    if any(value is not None for value in network.values()):
        rtt = _number(network["rtt_ms"])
        loss = _number(network["loss_percent"])
        throughput = _number(network["throughput_kbps"])
        if rtt is None or not 0 < rtt <= MAX_RTT_MS:
            errors["rtt_ms"] = _(
                "The round-trip time must be a number of milliseconds above 0 and at most %(most)s."
            ) % {"most": MAX_RTT_MS}
        if loss is None or not 0 <= loss <= 100:
            errors["loss_percent"] = _("The loss must be a percentage from 0 to 100.")
        if throughput is None or not 0 <= throughput <= MAX_THROUGHPUT_KBPS:
            errors["throughput_kbps"] = _(
                "The throughput must be a number of kbit/s from 0 to %(most)s."
            ) % {"most": MAX_THROUGHPUT_KBPS}
    if errors:
        raise ValidationError(errors)
    assert isinstance(camera, str) and isinstance(microphone, str) and isinstance(speaker, str)
    heard = microphone != "ok" or verdict.hears(level or 0.0)
    # Figures are rounded as they are stored, so the stored figures give the same verdict.
    return Figures(
        camera=Camera(camera),
        microphone=Microphone(microphone if heard else Microphone.SILENT),
        speaker=Speaker(speaker),
        device=Device(device),
        rtt_ms=None if rtt is None else max(1, round(rtt)),
        loss_percent=None if loss is None else round(loss, 1),
        throughput_kbps=None if throughput is None else round(throughput),
    )


def _number(value: object) -> float | None:
    """A finite JSON number (not a boolean), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
