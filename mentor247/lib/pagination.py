from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Pages over the first `cap` of `items`, fetched with up to one more than `cap` so that
    `more` can say whether matches were left out. Counting every match of a broad search costs
    more than the page itself, and nobody pages that far."""

    def __init__(self, items: Sequence[Any], per_page: int, *, cap: int) -> None:
        self.kept = list(items[:cap])
        super().__init__(self.kept, per_page)
        self.more = len(items) > cap
