"""Full-text search over listed mentors: one interface, PostgreSQL's or SQLite's engine below it.

The searchable document of a mentor is their areas of expertise (weighted most), name and
headline, and bio (weighted least), so a mentor whose expertise matches ranks above one who only
mentions the word. PostgreSQL keeps it as a weighted tsvector in the mentor's Listing row, under
a GIN index, so a search reads one narrow table; SQLite keeps it in an FTS5 table with bm25
weights (SearchEntry), one row per Listing. mentors.listing writes both, with the Listing.
"""

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import F, FloatField, Lookup, QuerySet, Value
from django.db.models.expressions import Col, OrderBy

from mentor247.mentors.models import Listing, SearchEntry

# The text search configuration of both engines: English stemming ("mentoring" finds "mentor").
CONFIG = "english"
# Heavier weights rank first: PostgreSQL's A to D (postgresql_document); FTS5's table ranks by
# bm25 with weights 4 for name and headline, 1 for bio and 10 for expertise (migration 0002).
MAX_TERMS = 12
# Words too common to search by: PostgreSQL's English configuration drops these (Snowball's
# list), and dropping them here too makes SQLite's FTS5 agree with it.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "did",
        "do",
        "does",
        "doing",
        "don",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "s",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "t",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)


def terms(text: str) -> list[str]:
    """The words of a query that are searched for: without the operators of either engine's
    syntax, and without stop words."""
    words = [word for word in re.findall(r"\w+", text.lower()) if word not in STOP_WORDS]
    return words[:MAX_TERMS]


def matching(listings: QuerySet[Listing], text: str) -> QuerySet[Listing]:
    """`listings` whose document holds every word of `text`, annotated with `relevance`
    (higher is better). Without words, `listings` unchanged and relevance 0."""
    words = terms(text)
    if not words:
        return listings.annotate(relevance=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config=CONFIG, search_type="plain")
        return listings.filter(document=query).annotate(relevance=SearchRank(F("document"), query))
    # FTS5: each word quoted, so nothing in it is read as syntax; rank is negative bm25.
    phrase = " ".join(f'"{word}"' for word in words)
    return listings.filter(search_entry__document__match=phrase).annotate(
        relevance=-F("search_entry__rank")
    )


def by_relevance() -> tuple[str | OrderBy, ...]:
    """The order of `matching` results, best first, ties in a fixed order."""
    if connection.vendor == "postgresql":
        return (F("relevance").desc(), "pk")
    # FTS5 hands rows over in rank order itself when asked for exactly that order (with any
    # other key it would rank every match first); equal ranks come in the order it stores.
    return ("search_entry__rank",)


@SearchVectorField.register_lookup
class Match(Lookup[str]):
    """FTS5's MATCH, for SearchEntry.document (the hidden column named like the table)."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        if not isinstance(self.lhs, Col) or self.lhs.target.model is not SearchEntry:
            raise TypeError("match is only for mentors' FTS5 table")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


# The expertise of profile `p`, as one text.
_EXPERTISE = """
    SELECT {concat} FROM mentors_mentorprofile_expertise AS pe
    JOIN mentors_expertise AS e ON e.id = pe.expertise_id
    WHERE pe.mentorprofile_id = p.id"""


def postgresql_document() -> tuple[str, list[str]]:
    """PostgreSQL's document of profile `p` of user `u`, as SQL and its parameters."""
    expertise = _EXPERTISE.format(concat="string_agg(e.name, ' ')")
    sql = f"""
        setweight(to_tsvector(%s, coalesce(({expertise}), '')), 'A')
        || setweight(to_tsvector(%s, u.name), 'B')
        || setweight(to_tsvector(%s, p.headline), 'B')
        || setweight(to_tsvector(%s, p.bio), 'D')"""
    return sql, [CONFIG] * 4


def sqlite_index(cursor: CursorWrapper, profiles_sql: str, params: Sequence[Any]) -> None:
    """Writes SQLite's FTS5 documents of the profiles `profiles_sql` selects (their ids)."""
    expertise = _EXPERTISE.format(concat="group_concat(e.name, ' ')")
    cursor.execute(
        f"""
        INSERT INTO mentors_search (rowid, name, headline, bio, expertise)
        SELECT p.id, u.name, p.headline, p.bio, coalesce(({expertise}), '')
        FROM mentors_mentorprofile AS p
        JOIN accounts_user AS u ON u.id = p.user_id
        WHERE p.id IN ({profiles_sql})
        """,  # noqa: S608 - SQL the ORM compiled, with its parameters apart
        params,
    )


def sqlite_unindex(cursor: CursorWrapper, profile_ids: Sequence[int] | None) -> None:
    """Deletes SQLite's FTS5 documents of `profile_ids` (of everyone when None)."""
    if profile_ids is None:
        cursor.execute("DELETE FROM mentors_search")
        return
    marks = ", ".join(["%s"] * len(profile_ids))
    cursor.execute(f"DELETE FROM mentors_search WHERE rowid IN ({marks})", profile_ids)  # noqa: S608
