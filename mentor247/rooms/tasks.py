from django_tasks import task

from mentor247.rooms import domain


@task()
def judge_attendance_task() -> list[int]:
    return list(domain.judge_attendance())
