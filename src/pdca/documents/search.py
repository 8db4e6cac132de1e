"""Full-text search over document numbers, titles and text, native to each database.

SQLite: an FTS5 table `documents_fts` (rowid = document id), kept in step by `index_document()`
which every service that changes a document's number, title or text calls.
PostgreSQL: a stored `search_vector` (number, title and `search_text`, the latest revision's
text) with a GIN index, updated by the same `index_documents()`; a stored vector keeps the
planner from computing vectors per row at query time.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django_scopes import scopes_disabled

FTS_TABLE = "documents_fts"
PG_CONFIG = "simple"


def document_vector() -> SearchVector:
    return SearchVector("number", "title", "search_text", config=PG_CONFIG)


def index_documents(docs: Iterable[Any]) -> None:
    """Bring the search index of `docs` up to date: the FTS5 rows on SQLite, the stored
    vector on PostgreSQL."""
    docs = list(docs)
    if connection.vendor == "postgresql" and docs:
        # By primary key, from services and commands alike, whether or not a scope is set.
        with scopes_disabled():
            type(docs[0])._default_manager.filter(pk__in=[d.pk for d in docs]).update(
                search_vector=document_vector()
            )
    if connection.vendor != "sqlite":
        return
    rows = [(d.pk, d.number, d.title, d.search_text) for d in docs]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, number, title, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
            rows,
        )


def index_document(doc: Any) -> None:
    index_documents([doc])


def _fts_query(text: str) -> str:
    words = re.findall(r"\w+", text)
    return " ".join(f'"{w}"*' for w in words[:12])


def search(qs: QuerySet[Any], text: str) -> QuerySet[Any]:
    text = text.strip()
    if not text:
        return qs
    if connection.vendor == "sqlite":
        query = _fts_query(text)
        if not query:
            return qs.none()
        # "id + 0" keeps SQLite walking the list's own order (number) and probing the match
        # set, instead of fetching every match by id and sorting them all: a word found in
        # every document then costs the same as a rare one.
        table = qs.model._meta.db_table
        return qs.filter(
            RawSQL(  # noqa: S611  (table names are constants, the query a parameter)
                f'("{table}"."id" + 0) IN '  # noqa: S608
                f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
                (query,),
                output_field=BooleanField(),
            )
        )
    if connection.vendor == "postgresql":
        return qs.filter(search_vector=SearchQuery(text, config=PG_CONFIG, search_type="websearch"))
    return qs.filter(title__icontains=text)
