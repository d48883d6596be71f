"""The verdict's thresholds at their boundaries, and how each part folds in (pure)."""

import dataclasses

import pytest

from mentor247.techcheck import verdict
from mentor247.techcheck.verdict import (
    ADVICE,
    Camera,
    Device,
    Figures,
    Level,
    Microphone,
    Speaker,
    judge,
)

ALL_GOOD = Figures(
    camera=Camera.OK,
    microphone=Microphone.OK,
    speaker=Speaker.HEARD,
    device=Device.COMPUTER,
    rtt_ms=40,
    loss_percent=0.0,
    throughput_kbps=5000,
)


@pytest.mark.parametrize(
    ("rtt_ms", "level"),
    [
        (1, Level.GOOD),
        (149, Level.GOOD),
        (150, Level.WARNING),
        (400, Level.WARNING),
        (401, Level.BAD),
    ],
)
def test_rtt_level_at_its_boundaries(rtt_ms, level):
    assert verdict.rtt_level(rtt_ms) == level


@pytest.mark.parametrize(
    ("loss", "level"),
    [
        (0.0, Level.GOOD),
        (1.9, Level.GOOD),
        (2.0, Level.WARNING),
        (8.0, Level.WARNING),
        (8.1, Level.BAD),
    ],
)
def test_loss_level_at_its_boundaries(loss, level):
    assert verdict.loss_level(loss) == level


@pytest.mark.parametrize(
    ("kbps", "level"),
    [
        (1500, Level.GOOD),
        (1499, Level.WARNING),
        (500, Level.WARNING),
        (499, Level.BAD),
        (0, Level.BAD),
    ],
)
def test_throughput_level_at_its_boundaries(kbps, level):
    assert verdict.throughput_level(kbps) == level


def test_hears_from_the_threshold_on():
    assert verdict.hears(verdict.MICROPHONE_HEARD_FROM) is True
    assert verdict.hears(0.0099) is False
    assert verdict.hears(0.0) is False


def test_judge_all_good_gives_good_and_no_advice():
    assert judge(ALL_GOOD) == verdict.Verdict(Level.GOOD, ())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"rtt_ms": 150}, verdict.Verdict(Level.WARNING, ("rtt_high",))),
        ({"rtt_ms": 401}, verdict.Verdict(Level.BAD, ("rtt_high",))),
        ({"loss_percent": 8.1}, verdict.Verdict(Level.BAD, ("loss_high",))),
        ({"throughput_kbps": 800}, verdict.Verdict(Level.WARNING, ("throughput_low",))),
        ({"camera": Camera.DENIED}, verdict.Verdict(Level.BAD, ("camera_denied",))),
        ({"camera": Camera.BUSY}, verdict.Verdict(Level.BAD, ("camera_busy",))),
        ({"microphone": Microphone.MISSING}, verdict.Verdict(Level.BAD, ("microphone_missing",))),
        ({"microphone": Microphone.SILENT}, verdict.Verdict(Level.WARNING, ("microphone_silent",))),
        ({"speaker": Speaker.NOT_HEARD}, verdict.Verdict(Level.BAD, ("speaker_not_heard",))),
        ({"speaker": Speaker.UNKNOWN}, verdict.Verdict(Level.WARNING, ("speaker_unknown",))),
        ({"device": Device.PHONE}, verdict.Verdict(Level.WARNING, ("phone",))),
        ({"device": Device.TABLET}, verdict.Verdict(Level.GOOD, ())),
        (
            {"rtt_ms": None, "loss_percent": None, "throughput_kbps": None},
            verdict.Verdict(Level.BAD, ("network_failed",)),
        ),
    ],
)
def test_judge_folds_in_each_part(change, expected):
    assert judge(dataclasses.replace(ALL_GOOD, **change)) == expected


def test_judge_puts_bad_problems_before_warnings():
    figures = dataclasses.replace(
        ALL_GOOD, speaker=Speaker.UNKNOWN, rtt_ms=200, throughput_kbps=300, camera=Camera.MISSING
    )
    assert judge(figures) == verdict.Verdict(
        Level.BAD, ("camera_missing", "throughput_low", "speaker_unknown", "rtt_high")
    )


def test_every_problem_has_advice_and_every_level_a_headline():
    codes = {f"camera_{value}" for value in Camera if value != Camera.OK}
    codes |= {f"microphone_{value}" for value in Microphone if value != Microphone.OK}
    codes |= {"speaker_not_heard", "speaker_unknown", "network_failed", "rtt_high"}
    codes |= {"loss_high", "throughput_low", "phone"}
    assert set(ADVICE) == codes
    assert set(verdict.HEADLINES) == set(Level)
