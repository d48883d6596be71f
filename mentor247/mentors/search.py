"""Full-text search over mentors: one interface, PostgreSQL's or SQLite's engine below it.

The searchable document of a mentor is their areas of expertise (weighted most), name and
headline, and bio (weighted least), so a mentor whose expertise matches ranks above one who only
mentions the word. Both engines keep it in a narrow table of their own, `mentors_search`, one row
per profile (model SearchEntry): a weighted tsvector with a GIN index on PostgreSQL, an FTS5
table with bm25 weights on SQLite. Ranking a broad search reads only that table, never the
wide profile rows. `index_profiles` rebuilds documents; every domain write that changes what is
searched calls it inside its transaction.
"""

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, Lookup, QuerySet, Value
from django.db.models.expressions import Col, OrderBy

from mentor247.mentors.models import MentorProfile, SearchEntry

# The text search configuration of both engines: English stemming ("mentoring" finds "mentor").
CONFIG = "english"
# Heavier weights rank first. FTS5's bm25 takes one weight per column, in column order.
FTS5_COLUMNS = ("name", "headline", "bio", "expertise")
FTS5_WEIGHTS = (4.0, 4.0, 1.0, 10.0)
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


def matching(profiles: QuerySet[MentorProfile], text: str) -> QuerySet[MentorProfile]:
    """`profiles` whose document holds every word of `text`, annotated with `relevance`
    (higher is better). Without words, `profiles` unchanged and relevance 0."""
    words = terms(text)
    if not words:
        return profiles.annotate(relevance=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config=CONFIG, search_type="plain")
        return profiles.filter(search_entry__document=query).annotate(
            relevance=SearchRank(F("search_entry__document"), query)
        )
    # FTS5: each word quoted, so nothing in it is read as syntax; rank is negative bm25.
    phrase = " ".join(f'"{word}"' for word in words)
    return profiles.filter(search_entry__document__match=phrase).annotate(
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


def index_profiles(profile_ids: Iterable[int] | None = None) -> None:
    """Rebuilds the search documents of `profile_ids` (of every profile when None)."""
    ids = None if profile_ids is None else list(profile_ids)
    if ids == []:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            where, params = ("", []) if ids is None else ("WHERE p.id = ANY(%s)", [ids])
            cursor.execute(
                f"""
                INSERT INTO mentors_search (rowid, mentors_search)
                SELECT p.id,
                    setweight(to_tsvector(%s, coalesce((
                        SELECT string_agg(e.name, ' ')
                        FROM mentors_mentorprofile_expertise AS pe
                        JOIN mentors_expertise AS e ON e.id = pe.expertise_id
                        WHERE pe.mentorprofile_id = p.id), '')), 'A')
                    || setweight(to_tsvector(%s, u.name), 'B')
                    || setweight(to_tsvector(%s, p.headline), 'B')
                    || setweight(to_tsvector(%s, p.bio), 'D')
                FROM mentors_mentorprofile AS p
                JOIN accounts_user AS u ON u.id = p.user_id
                {where}
                ON CONFLICT (rowid) DO UPDATE SET mentors_search = EXCLUDED.mentors_search
                """,  # noqa: S608 - only the fixed clause above is formatted in
                [CONFIG, CONFIG, CONFIG, CONFIG, *params],
            )
            return
        chunks: list[list[int] | None] = (
            [None] if ids is None else [ids[i : i + 500] for i in range(0, len(ids), 500)]
        )
        for chunk in chunks:
            where = "" if chunk is None else f"WHERE p.id IN ({', '.join(['%s'] * len(chunk))})"
            chunk_params = [] if chunk is None else chunk
            delete = "" if chunk is None else f"WHERE rowid IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(f"DELETE FROM mentors_search {delete}", chunk_params)  # noqa: S608
            cursor.execute(
                f"""
                INSERT INTO mentors_search (rowid, name, headline, bio, expertise)
                SELECT p.id, u.name, p.headline, p.bio, coalesce((
                    SELECT group_concat(e.name, ' ')
                    FROM mentors_mentorprofile_expertise AS pe
                    JOIN mentors_expertise AS e ON e.id = pe.expertise_id
                    WHERE pe.mentorprofile_id = p.id), '')
                FROM mentors_mentorprofile AS p
                JOIN accounts_user AS u ON u.id = p.user_id
                {where}
                """,  # noqa: S608 - only the fixed clause above is formatted in
                chunk_params,
            )


def create_engine_tables(schema_editor) -> None:  # type: ignore[no-untyped-def]
    """For the migration: SQLite's FTS5 table, or PostgreSQL's table with its GIN index. Both
    have the columns SearchEntry reads: rowid (the profile) and mentors_search (the document);
    FTS5 adds rank itself."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        columns = ", ".join(FTS5_COLUMNS)
        weights = ", ".join(str(weight) for weight in FTS5_WEIGHTS)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE mentors_search USING fts5({columns}, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        schema_editor.execute(
            f"INSERT INTO mentors_search (mentors_search, rank) VALUES ('rank', 'bm25({weights})')"  # noqa: S608 - constants only
        )
    elif vendor == "postgresql":
        # No foreign key: the table is derived data that queries reach through the profile,
        # and Django's flush (which knows only its own tables) must be able to empty profiles.
        schema_editor.execute(
            "CREATE TABLE mentors_search "
            "(rowid bigint PRIMARY KEY, mentors_search tsvector NOT NULL)"
        )
        schema_editor.execute(
            "CREATE INDEX mentors_search_document ON mentors_search USING gin (mentors_search)"
        )


def drop_engine_tables(schema_editor) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        schema_editor.execute("DROP TABLE IF EXISTS mentors_search")
