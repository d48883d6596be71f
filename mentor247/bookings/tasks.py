from django_tasks import task

from mentor247.bookings import domain


@task()
def release_expired_holds() -> int:
    return domain.release_expired_holds()
