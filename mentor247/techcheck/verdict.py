"""How a tech check's figures become a verdict (good, warning or bad) and advice: every
threshold of the tech check is here, and nowhere else: the pages' scripts are served this table
(`thresholds`), the tech check's to say "we hear you" as the bar moves, the room's to show the
call's connection as good, fair or poor.

Pure: no database, no settings; only the advice texts are marked for translation.

The numbers are for a 1:1 call in HD (720p, 30 frames a second), which WebRTC sends at about
1.2 to 2.5 Mbit/s each way, plus about 50 kbit/s of audio:

- Throughput is what the browser sent to our server over a reliable data channel, in kbit/s
  (its upload, the side a home line is weakest on). From 1,500 kbit/s HD holds; below 500 even
  a small picture stutters and the sound suffers, so the call is not ready.
- Round-trip time (RTT) is to our server and back, the median of a series of pings. Speech
  feels natural up to about 150 ms of one-way delay and becomes hard to hold a conversation
  over past 400 ms (ITU-T G.114); the two people's delay is roughly the sum of their trips to
  the server, so under 150 ms is good and over 400 ms is bad.
- Loss is the share of small unordered packets, sent once each and never resent, that did not
  come back from our server. WebRTC repairs 1 to 2 % unseen; from about 5 % pictures freeze, and
  past 8 % speech breaks up, so under 2 % is good and over 8 % is bad.
- The microphone is "heard" when its loudest moment reached 0.01 of full scale (RMS over about
  40 ms, -40 dBFS): speech at a normal distance is around -30 to -20 dBFS, a quiet room on a
  working microphone about -60, and a muted one exactly 0.

A camera, microphone or speaker that does not work makes the set-up bad: a session needs all
three, and mentors must have their camera on. A microphone that is reachable but heard nothing
is a warning only, since a person who said nothing sounds the same as a muted microphone; so
is a skipped speaker test, and joining from a phone (the Code of Conduct asks mentors for a
computer or tablet).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RTT_GOOD_BELOW_MS = 150
RTT_BAD_ABOVE_MS = 400
LOSS_GOOD_BELOW_PERCENT = 2.0
LOSS_BAD_ABOVE_PERCENT = 8.0
THROUGHPUT_GOOD_FROM_KBPS = 1500
THROUGHPUT_BAD_BELOW_KBPS = 500
MICROPHONE_HEARD_FROM = 0.01


def thresholds() -> dict[str, Any]:
    """The table above as the pages' scripts read it (`{% quality_thresholds %}` renders it),
    so the room's connection indicator judges by the same numbers as the tech check.

    The delay is one way, from one person to the other. The tech check's round trip to our
    server stands for it (each person's half of it adds up to about one round trip); the
    room, which measures the round trip between the two browsers, halves that."""
    return {
        "delay_ms": {"good_below": RTT_GOOD_BELOW_MS, "bad_above": RTT_BAD_ABOVE_MS},
        "loss_percent": {
            "good_below": LOSS_GOOD_BELOW_PERCENT,
            "bad_above": LOSS_BAD_ABOVE_PERCENT,
        },
        "throughput_kbps": {
            "good_from": THROUGHPUT_GOOD_FROM_KBPS,
            "bad_below": THROUGHPUT_BAD_BELOW_KBPS,
        },
        "microphone_heard_from": MICROPHONE_HEARD_FROM,
    }


class Level(StrEnum):
    GOOD = "good"
    WARNING = "warning"
    BAD = "bad"


class Camera(StrEnum):
    OK = "ok"
    DENIED = "denied"  # the person or the browser refused permission (NotAllowedError)
    MISSING = "missing"  # no such device (NotFoundError, OverconstrainedError)
    BUSY = "busy"  # another program holds it (NotReadableError, AbortError)
    FAILED = "failed"  # anything else, such as a browser without camera access at all


class Microphone(StrEnum):
    OK = "ok"
    SILENT = "silent"  # reachable, but it heard nothing while the check ran
    DENIED = "denied"
    MISSING = "missing"
    BUSY = "busy"
    FAILED = "failed"


class Speaker(StrEnum):
    HEARD = "heard"
    NOT_HEARD = "not_heard"
    UNKNOWN = "unknown"  # the person skipped the question


class Device(StrEnum):
    COMPUTER = "computer"
    TABLET = "tablet"
    PHONE = "phone"


@dataclass(frozen=True)
class Figures:
    """What a check found. The three network figures are all None when the browser could not
    reach our server's peer at all."""

    camera: Camera
    microphone: Microphone
    speaker: Speaker
    device: Device
    rtt_ms: int | None
    loss_percent: float | None
    throughput_kbps: int | None


@dataclass(frozen=True)
class Verdict:
    level: Level
    advice: tuple[str, ...]  # advice codes (keys of ADVICE), most important first


# What to do about each problem, by advice code. The codes are stored with each check, so a
# code, once used, keeps its meaning (a text may be reworded).
ADVICE: dict[str, Promise] = {
    "camera_denied": _(
        "The browser is not allowed to use your camera. Click the camera or lock icon in the "
        "address bar, allow the camera for this site, then run the check again."
    ),
    "camera_missing": _(
        "No camera was found. Plug one in (or open the laptop lid), choose it in the list, "
        "and run the check again."
    ),
    "camera_busy": _(
        "Your camera is in use by another program, such as another video call. Close it, "
        "then run the check again."
    ),
    "camera_failed": _(
        "Your camera could not be started. Try another browser (a current Chrome, Edge, "
        "Firefox or Safari), or restart the computer."
    ),
    "microphone_denied": _(
        "The browser is not allowed to use your microphone. Click the microphone or lock "
        "icon in the address bar, allow the microphone for this site, then run the check again."
    ),
    "microphone_missing": _(
        "No microphone was found. Plug in a headset or microphone, choose it in the list, "
        "and run the check again."
    ),
    "microphone_busy": _(
        "Your microphone is in use by another program, such as another call. Close it, "
        "then run the check again."
    ),
    "microphone_failed": _(
        "Your microphone could not be started. Try another browser, or restart the computer."
    ),
    "microphone_silent": _(
        "We heard nothing from this microphone. Check it is not muted (a switch on the "
        "headset, a key on the keyboard, or the system's sound settings), or choose another "
        "one, and speak while the check runs."
    ),
    "speaker_not_heard": _(
        "You did not hear the test sound. Turn the volume up, check the sound is not muted, "
        "choose other speakers or plug in headphones, and play it again."
    ),
    "speaker_unknown": _(
        "You skipped the speaker test. Play the test sound to be sure you will hear the "
        "other person."
    ),
    "network_failed": _(
        "We could not reach our test server over the connection video calls use. Try "
        "another network, or ask its administrator to allow WebRTC (UDP) traffic."
    ),
    "rtt_high": _(
        "Your connection is slow to answer. Use a cable rather than Wi-Fi, or sit nearer "
        "the router, and pause large downloads."
    ),
    "loss_high": _(
        "Your connection loses data on the way. Use a cable rather than Wi-Fi, or sit nearer "
        "the router."
    ),
    "throughput_low": _(
        "Your connection sends too little for clear video. Close other programs and "
        "browser tabs that use the network, and ask others on it to pause streaming."
    ),
    "phone": _(
        "You are on a phone. A computer or tablet gives a steadier call and a bigger "
        "picture; mentors are asked to join from one."
    ),
}

HEADLINES: dict[Level, Promise] = {
    Level.GOOD: _("Good: your set-up is ready for a video call."),
    Level.WARNING: _("Mostly ready: fix what is listed below for a smoother call."),
    Level.BAD: _("Not ready: fix what is listed below, then run the check again."),
}

_RANK = {Level.GOOD: 0, Level.WARNING: 1, Level.BAD: 2}


def hears(level: float) -> bool:
    """Whether a microphone whose loudest moment was `level` (RMS, 0 to 1) heard anything."""
    return level >= MICROPHONE_HEARD_FROM


def rtt_level(rtt_ms: int) -> Level:
    if rtt_ms < RTT_GOOD_BELOW_MS:
        return Level.GOOD
    return Level.BAD if rtt_ms > RTT_BAD_ABOVE_MS else Level.WARNING


def loss_level(loss_percent: float) -> Level:
    if loss_percent < LOSS_GOOD_BELOW_PERCENT:
        return Level.GOOD
    return Level.BAD if loss_percent > LOSS_BAD_ABOVE_PERCENT else Level.WARNING


def throughput_level(throughput_kbps: int) -> Level:
    if throughput_kbps >= THROUGHPUT_GOOD_FROM_KBPS:
        return Level.GOOD
    return Level.BAD if throughput_kbps < THROUGHPUT_BAD_BELOW_KBPS else Level.WARNING


def judge(figures: Figures) -> Verdict:
    """The verdict is the worst level of any part; the advice names each part not good."""
    found: list[tuple[Level, str]] = []
    if figures.camera != Camera.OK:
        found.append((Level.BAD, f"camera_{figures.camera}"))
    if figures.microphone == Microphone.SILENT:
        found.append((Level.WARNING, "microphone_silent"))
    elif figures.microphone != Microphone.OK:
        found.append((Level.BAD, f"microphone_{figures.microphone}"))
    if figures.speaker == Speaker.NOT_HEARD:
        found.append((Level.BAD, "speaker_not_heard"))
    elif figures.speaker == Speaker.UNKNOWN:
        found.append((Level.WARNING, "speaker_unknown"))
    if figures.rtt_ms is None or figures.loss_percent is None or figures.throughput_kbps is None:
        found.append((Level.BAD, "network_failed"))
    else:
        found.append((rtt_level(figures.rtt_ms), "rtt_high"))
        found.append((loss_level(figures.loss_percent), "loss_high"))
        found.append((throughput_level(figures.throughput_kbps), "throughput_low"))
    if figures.device == Device.PHONE:
        found.append((Level.WARNING, "phone"))
    problems = [(level, code) for level, code in found if level != Level.GOOD]
    worst = max((level for level, _code in problems), key=_RANK.__getitem__, default=Level.GOOD)
    # Bad problems first, then warnings, each group in the order above.
    ordered = sorted(problems, key=lambda problem: -_RANK[problem[0]])
    return Verdict(worst, tuple(code for _level, code in ordered))
