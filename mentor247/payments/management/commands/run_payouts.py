from typing import Any

from django.core.management.base import BaseCommand

from mentor247.payments.domain import run_payouts, settle_due_sessions


class Command(BaseCommand):
    help = (
        "Settles the sessions due, then pays out every mentor with at least the minimum "
        "available (the weekly run, for a scheduler such as cron). Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        settled = settle_due_sessions()
        paid = run_payouts()
        self.stdout.write(f"{settled} sessions settled, {paid} payouts made")
