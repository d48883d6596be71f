"""The arithmetic of money, in minor units: the platform's fee, and a price shared out over
a package's sessions; when weekly payouts run, and how long to wait before asking a provider
again. No Django here."""

from datetime import UTC, datetime, timedelta

BASIS = 10_000  # basis points in a whole


def platform_fee(amount: int, rate: int) -> int:
    """The platform's part of `amount` at `rate` basis points, rounded half up."""
    return (amount * rate + BASIS // 2) // BASIS


def session_share(total: int, count: int, index: int) -> int:
    """What the session at `index` (from 0) of `count` holds of `total`: the shares differ by
    at most one minor unit, and all of them add up to `total` exactly."""
    if not 0 <= index < count:
        raise ValueError(f"session {index} of {count}")
    return total * (index + 1) // count - total * index // count


RELEASED = "released"
REFUNDED = "refunded"


def session_outcome(status: str, *, forfeited: bool, no_show: str) -> str | None:
    """Where a session's money goes, by what became of the session (bookings' status, the
    room's no-show mark): to the mentor for a session held, one the mentee missed or one
    they cancelled too late; back to the mentee when the mentor did not come, or when the
    session was cancelled in time (by either side). None while nothing is decided."""
    if status == "completed":
        return RELEASED
    if status == "no_show":
        return RELEASED if no_show == "mentee" else REFUNDED
    if status == "cancelled":
        return RELEASED if forfeited else REFUNDED
    return None


def backoff(attempts: int, *, first: timedelta, longest: timedelta) -> timedelta:
    """The wait before trying again after `attempts` failed tries: `first`, doubling with
    each further try, never more than `longest`."""
    return min(first * 2 ** max(attempts - 1, 0), longest)


def next_payout_at(now: datetime, *, weekday: int, hour: int) -> datetime:
    """The first weekly payout moment (weekday, hour, UTC) after `now` (an aware time)."""
    moment = now.astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    moment += timedelta(days=(weekday - moment.weekday()) % 7)
    return moment if moment > now else moment + timedelta(days=7)
