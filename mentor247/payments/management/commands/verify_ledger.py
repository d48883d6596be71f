from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentor247.payments.verify import Violation, verify_ledger


class Command(BaseCommand):
    help = (
        "Checks every invariant of the ledger (balances, bounds, conservation, one payment "
        "transaction per payment, refunds within payments, each session settled once, fees at "
        "the stored rate); exits non-zero at the first violation."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checked = verify_ledger()
        except Violation as violation:
            raise CommandError(f"The ledger is wrong: {violation}") from violation
        self.stdout.write(f"The ledger holds: {checked} transactions checked.")
