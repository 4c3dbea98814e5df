"""Search: the texts of every session that match a query, ranked, and the sessions they are in.

The index (`search_index`, migration 5) is kept in step by triggers, so this only reads it: on
SQLite an FTS5 table ranked by bm25, on PostgreSQL a table with a `tsvector` under a GIN index
ranked by `ts_rank`. Each index row is numbered `item id * 16 + kind`. Snippets are cut in
Python from the few texts shown (`core.sessions.search.snippet`), the same on both backends,
rather than by the database for every match.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on
from sqlmodel import col, select

from debrief_tui.core.persistence.migrations import ACCENTED, BARE
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.history import HistoryRepository
from debrief_tui.core.persistence.repositories.sessions import ListedSession, SessionRepository
from debrief_tui.core.persistence.sqltypes import UTCDateTime
from debrief_tui.core.sessions.search import (
    TITLE,
    SearchFilters,
    SearchHit,
    SearchQuery,
    fts5_match,
    snippet,
    tsquery_text,
)

_CHUNK = 500
"""Index rows read back per statement (well under either backend's limit on parameters)."""
RANKED_AT_MOST = 5_000
"""The most matches ranked for one search: a word found in more texts is ranked among the
newest this many. Ranking costs a few microseconds a match: in a database of a million minutes
a common word matched 50,000 texts, and ranking them all took 130-250 ms, past the 100 ms a
search may take; finding where the newest 5,000 start takes a few milliseconds."""


class SessionMatch(NamedTuple):
    """A session the search found, and the text it was found by (None: no words were asked
    for, or the session matched only by the filters)."""

    session: ListedSession
    hit: SearchHit | None


def _newest_first() -> tuple[Any, ...]:
    """The session list's order: newest incident first (as `SessionRepository.matching`)."""
    return (
        sa.func.coalesce(
            col(PostmortemSession.started_at), col(PostmortemSession.created_at)
        ).desc(),
        col(PostmortemSession.id).desc(),
    )


def _cases(value: str) -> list[str]:
    """A filter's value as typed, in upper and in lower case."""
    return sorted({value, value.upper(), value.lower()})


def _narrowed(filters: SearchFilters) -> list[Any]:
    """The conditions on the session that the filters ask for (case does not matter)."""
    conditions: list[Any] = []
    # Any case, as the values are stored (SEV1, draft) or as typed: a plain IN that the
    # planner can estimate (with lower(severity) PostgreSQL took a severity for one session in
    # 200 and joined all of them to the matches one by one).
    if filters.severity is not None:
        conditions.append(col(PostmortemSession.severity).in_(_cases(filters.severity)))
    if filters.status is not None:
        conditions.append(col(PostmortemSession.status).in_(_cases(filters.status)))
    if filters.service is not None:
        conditions.append(
            col(PostmortemSession.services_affected).icontains(filters.service, autoescape=True)
        )
    when = sa.func.coalesce(col(PostmortemSession.started_at), col(PostmortemSession.created_at))
    # Days are whole UTC days, like the dates the command line prints.
    if filters.since is not None:
        start = datetime.combine(filters.since, time(), UTC)
        conditions.append(when >= sa.bindparam("since", start, type_=UTCDateTime()))
    if filters.until is not None:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        conditions.append(when < sa.bindparam("until", end, type_=UTCDateTime()))
    return conditions


class SearchRepository(Repository):
    """Full-text search across every session."""

    @property
    def _postgres(self) -> bool:
        return self.db.get_bind().dialect.name == "postgresql"

    @contextmanager
    def _planned_for_each_query(self) -> Iterator[None]:
        """On PostgreSQL through psycopg, plan each search for its own words and filters.
        psycopg prepares a statement it has run five times, and the server then plans it once
        for any values: a search with a severity filter went from 0.2 s to 50 s now and then,
        joining every session of that severity before matching."""
        driver: Any = self.db.connection().connection.driver_connection
        if not self._postgres or not hasattr(driver, "prepare_threshold"):
            yield
            return
        threshold = driver.prepare_threshold
        driver.prepare_threshold = None
        try:
            yield
        finally:
            driver.prepare_threshold = threshold

    def _match(self, query: SearchQuery) -> tuple[Any, Any, Any]:
        """The index's row number, the condition that a row matches, and its rank (best
        first when sorted ascending)."""
        if self._postgres:
            words = sa.func.to_tsquery(
                sa.literal_column("'simple'::regconfig"),
                sa.func.translate(tsquery_text(query), ACCENTED, BARE),
            )
            matches = sa.literal_column("search_index.words").bool_op("@@")(words)
            rank = -sa.func.ts_rank(sa.literal_column("search_index.words"), words)
            return sa.literal_column("search_index.id"), matches, rank
        matches = sa.literal_column("search_index").op("MATCH")(fts5_match(query))
        return (
            sa.literal_column("search_index.rowid"),
            matches,
            sa.literal_column("search_index.rank"),
        )

    def find(self, query: SearchQuery, limit: int = 50) -> list[SearchHit]:
        """The texts matching `query` in the sessions its filters allow, best match first, at
        most `limit`; none for a query without words."""
        with self._planned_for_each_query():
            return self._find(query, limit)

    def _find(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        if not query.has_text:
            return []
        key, matches, rank = self._match(query)
        index = _index()
        order: tuple[Any, ...] = (rank, key)
        if self._postgres:
            # ts_rank reads each match's whole word list from the table: past the cap, the
            # newest matches come first instead (the primary key read backwards, which stops
            # at the limit), as a cap on SQLite would mostly give.
            counted = sa.select(key).select_from(index).where(matches).limit(RANKED_AT_MOST)
            many = self.db.execute(sa.select(sa.func.count()).select_from(counted.subquery()))
            if many.scalar_one() >= RANKED_AT_MOST:
                order = (key.desc(),)
        else:
            floor = self.db.execute(
                sa.select(key)
                .select_from(index)
                .where(matches)
                .order_by(key.desc())
                .offset(RANKED_AT_MOST - 1)
                .limit(1)
            ).scalar()
            if floor is not None:
                matches = sa.and_(matches, key >= floor)
        # Rank the matches reading nothing but their row numbers (and, to filter, their
        # session), then read the few kept: reading every match's text and session made the
        # ranking three times slower.
        ranked = sa.select(key).select_from(index).where(matches)
        if not query.filters.empty:
            ranked = ranked.join(
                PostmortemSession, col(PostmortemSession.id) == index.c.session_id
            ).where(*_narrowed(query.filters))
        kept = [
            int(k) for k in self.db.execute(ranked.order_by(*order).limit(max(1, limit))).scalars()
        ]
        rows: dict[int, sa.Row[Any]] = {}
        for start in range(0, len(kept), _CHUNK):
            chunk = kept[start : start + _CHUNK]
            stmt = (
                sa.select(
                    key.label("key"),
                    index.c.session_id,
                    index.c.kind,
                    index.c.body,
                    index.c.at,
                    col(PostmortemSession.title),
                    col(PostmortemSession.severity),
                    col(PostmortemSession.status),
                    col(PostmortemSession.timezone),
                )
                .select_from(index)
                .join(PostmortemSession, col(PostmortemSession.id) == index.c.session_id)
                .where(key.in_(chunk))
            )
            rows.update((int(row.key), row) for row in self.db.execute(stmt))
        return [
            SearchHit(
                session_id=row.session_id,
                title=row.title,
                severity=row.severity,
                status=row.status,
                kind=row.kind,
                snippet=snippet(row.body, query),
                at=row.at,
                zone=row.timezone,
                row_id=row.key // 16 if row.kind > 4 else None,
            )
            for row in (rows[k] for k in kept if k in rows)
        ]

    def sessions(self, query: SearchQuery, limit: int | None = None) -> list[SessionMatch]:
        """The sessions with a text matching `query` (and its filters), newest incident first,
        at most `limit` of them, each with the text it was found by: its title when that
        matches, else the first kind of text that does (summary, ..., minute, ...). Without
        words or filters this is the whole list, read as `SessionRepository.matching` reads
        it."""
        with self._planned_for_each_query():
            return self._sessions(query, limit)

    def _sessions(self, query: SearchQuery, limit: int | None) -> list[SessionMatch]:
        if query.empty:
            return [SessionMatch(row, None) for row in self.sibling(SessionRepository).listed()]
        conditions = _narrowed(query.filters)
        if not query.has_text:
            stmt = select(PostmortemSession).where(*conditions).order_by(*_newest_first())
            allowed = list(self.db.exec(stmt.limit(limit)))
            return [SessionMatch(row, None) for row in self._listed(allowed)]
        best = self._best_per_session(query)
        found = (
            sa.select(PostmortemSession, best.c.kind, best.c.key)
            .join(best, best.c.session_id == col(PostmortemSession.id))
            .where(*conditions)
            .order_by(*_newest_first())
            .limit(limit)
        )
        rows: list[tuple[PostmortemSession, int, int]] = [
            (row[0], row[1], row[2]) for row in self.db.execute(found)
        ]
        bodies = self._bodies(key for _, kind, key in rows if kind != TITLE)
        listed = self._listed([session for session, _, _ in rows])
        return [
            SessionMatch(
                shown,
                SearchHit(
                    session_id=session.id or 0,
                    title=session.title,
                    severity=session.severity,
                    status=session.status,
                    kind=kind,
                    snippet=snippet(bodies.get(key, session.title), query),
                    zone=session.timezone,
                    row_id=key // 16 if kind > 4 else None,
                ),
            )
            for shown, (session, kind, key) in zip(listed, rows, strict=True)
        ]

    def _listed(self, rows: list[PostmortemSession]) -> list[ListedSession]:
        """The sessions found, as a list shows them (with when each meeting first ran)."""
        starts = self.sibling(HistoryRepository).meeting_starts([row.id or 0 for row in rows])
        return [ListedSession.of(row, starts.get(row.id or 0)) for row in rows]

    def _best_per_session(self, query: SearchQuery) -> sa.Subquery:
        """Each matching session once, with the first kind of text that matches in it (the
        title before the summary, ..., before a minute) and that text's index row."""
        key, matches, _ = self._match(query)
        index = _index()
        if self._postgres:
            stmt = (
                sa.select(index.c.session_id, index.c.kind, key.label("key"))
                .where(matches)
                .ext(distinct_on(index.c.session_id))
                .order_by(index.c.session_id, index.c.kind, key)
            )
        else:
            # SQLite takes a bare column beside min() from the row that has the minimum.
            stmt = (
                sa.select(
                    index.c.session_id, sa.func.min(index.c.kind).label("kind"), key.label("key")
                )
                .where(matches)
                .group_by(index.c.session_id)
            )
        return stmt.subquery("best")

    def _bodies(self, keys: Iterable[int]) -> dict[int, str]:
        """The texts of these index rows, by row number."""
        wanted = list(keys)
        key: Any = sa.literal_column("search_index.id" if self._postgres else "search_index.rowid")
        index = _index()
        bodies: dict[int, str] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk: Sequence[int] = wanted[start : start + _CHUNK]
            stmt = sa.select(key, index.c.body).select_from(index).where(key.in_(chunk))
            bodies.update((int(row[0]), str(row[1])) for row in self.db.execute(stmt))
        return bodies


def _index() -> sa.TableClause:
    """The index's columns both backends share, for building statements."""
    return sa.table(
        "search_index",
        sa.column("session_id", sa.Integer),
        sa.column("kind", sa.Integer),
        sa.column("body", sa.String),
        sa.column("at", UTCDateTime()),
    )
