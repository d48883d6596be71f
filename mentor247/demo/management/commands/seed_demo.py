"""manage.py seed_demo: loads the demo data (demo/seed.py) and prints the logins."""

from typing import Any

from django.core.management.base import BaseCommand

from mentor247.demo.seed import seed


class Command(BaseCommand):
    help = "Creates (or completes) the demo accounts and mentor directory; prints the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        seed(self.stdout.write)
