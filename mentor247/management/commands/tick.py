import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentor247.periodic import tick


class Command(BaseCommand):
    help = (
        "Runs the platform's time-based work once (holds, attendance, settlement, engagements, "
        "reconciliation, weekly payouts, the daily ledger check), or with --every N seconds "
        "for ever. Safe to run on several machines at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="run again every N seconds")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        while True:
            done = tick()
            if options["verbosity"] > 1 or not every:
                self.stdout.write(", ".join(f"{name}: {count}" for name, count in done.items()))
            if not every:
                return
            time.sleep(every)
