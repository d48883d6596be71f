"""What the first session of an engagement covers (the Code of Conduct's five points), and
the prompts every session shows the mentor."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.lib.languages import Proficiency


@dataclass(frozen=True)
class Point:
    code: str
    title: Promise
    hint: Promise


POINTS = (
    Point(
        "confidentiality",
        _("Confidentiality"),
        _("What is said here stays between the two of you; the room is never recorded."),
    ),
    Point(
        "process",
        _("How the mentoring works"),
        _("How many sessions, how long each is, and what each one is for."),
    ),
    Point(
        "sharing",
        _("An invitation to share"),
        _(
            "Ask your mentee to tell you about themselves and what brings them here. If "
            "mentoring is new to them, say that it can feel strange at first and that this "
            "passes."
        ),
    ),
    Point(
        "results",
        _("What results to expect"),
        _("What they can realistically expect from these sessions, and what they cannot."),
    ),
    Point(
        "questions",
        _("Questions and feedback"),
        _("Invite questions, and ask how this session felt so far."),
    ),
)
CODES = frozenset(point.code for point in POINTS)


def is_first_session(booking: Booking) -> bool:
    """Whether `booking` is the first session of its engagement that took or is taking place."""
    return not Booking.objects.filter(
        engagement_id=booking.engagement_id,
        starts_at__lt=booking.starts_at,
        status__in=(Booking.Status.CONFIRMED, Booking.Status.COMPLETED),
    ).exists()


def needs_plain_english(mentee: User) -> bool:
    return mentee.english_level == Proficiency.BASIC
