"""A team's whole history, generated: 10,000 sessions, 1,000,000 minutes, 50,000 actions.

The sessions span seven years, a few a day, with the severities, detection methods, services,
factor categories, owners and action statuses a real team's would have, and minutes worded
like real ones (the phrases come from the demo and from public postmortems' vocabulary), so
that searching, the follow-ups and the report work on text and numbers shaped like a team's.
The rows go in through SQLAlchemy Core in large batches, after the schema is made by the
migrations: the search index and everything else is kept as the app keeps it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

SESSIONS = 10_000
MINUTES = 1_000_000
ACTIONS = 50_000
EVENTS_PER_SESSION = 8
FACTORS_PER_SESSION = 3
ATTENDEES_PER_SESSION = 4
FIRST_DAY = datetime(2019, 12, 1, tzinfo=UTC)
BATCH = 20_000

SERVICES = (
    "checkout-api", "payments-gateway-client", "search", "auth", "inventory", "cdn",
    "notifications", "orders-db", "kafka", "billing", "recommendations", "api-gateway",
)  # fmt: skip
SYMPTOMS = (
    "elevated 5xx errors", "latency spike", "failed deploys", "login failures",
    "stale search results", "dropped webhooks", "certificate expiry", "disk full",
    "connection pool exhaustion", "DNS resolution failures", "queue backlog",
)  # fmt: skip
TRIGGERS = (
    "a config change", "a certificate rotation", "a schema migration", "a traffic surge",
    "a dependency upgrade", "a failed failover", "a cloud provider outage", "a feature flag",
)  # fmt: skip
PEOPLE = (
    ("Jonas Becker", "sre"), ("Ade Okafor", "payments"), ("Mei Lin", "platform"),
    ("Priya Raman", "search"), ("Tomás Ortega", "identity"), ("Sara Nilsson", "data"),
    ("Kwame Mensah", "sre"), ("Lena Fischer", "frontend"), ("Yuki Tanaka", "platform"),
    ("Omar Haddad", "billing"), ("Chloé Martin", "support"), ("Ravi Iyer", "payments"),
)  # fmt: skip
MINUTE_LINES = (
    "We saw the {symptom} on {service} about {n} minutes before the first alert.",
    "{person}: the runbook for {service} did not cover {trigger}.",
    "Decision: roll back first, then investigate {service}.",
    "Action: add an alert on {service} p99 latency above {n} ms.",
    "Question: why did the canary not catch {trigger}?",
    "The dashboard for {service} showed {n}% errors at the peak.",
    "{person}: customers reported the {symptom} through support first.",
    "We lost {n} minutes because the on-call could not reach the database team.",
    "The deploy pipeline had no automatic rollback for {service}.",
    "Good: the status page went out within {n} minutes.",
)  # fmt: skip
ACTION_LINES = (
    "Add an alert on {service} error rate above {n}% for 5 minutes",
    "Automate certificate renewal for {service}",
    "Write a runbook section for {trigger} on {service}",
    "Add a canary stage to the {service} deploy pipeline",
    "Load test {service} at {n}x peak traffic before the next sale",
    "Move the {service} CA bundle to the shared, refreshed image",
)  # fmt: skip
ROOT_CAUSES = (
    "The {service} CA bundle was pinned in the image and never refreshed",
    "Nobody owned the {service} runbook for {trigger}",
    "The {service} canary did not cover the EU region",
    "Alerts on {service} paged only after {n} minutes of errors",
    "{trigger} was rolled out to every region at once",
)  # fmt: skip
SEVERITIES = ("SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4")
DETECTION = ("monitoring", "monitoring", "monitoring", "internal", "customer", None)
CATEGORIES = ("technical", "process", "people", "detection", "external", "response")
STATUSES = ("open", "in progress", "done", "won't do")
PAST_DUE_WEIGHTS = (15, 7, 70, 8)
"""How actions past their due date stand: most done, some dropped, a fifth still open."""
ZONES = ("UTC", "Europe/Amsterdam", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Auckland")


def _fill(rng: random.Random, shape: str) -> str:
    return shape.format(
        service=rng.choice(SERVICES),
        symptom=rng.choice(SYMPTOMS),
        trigger=rng.choice(TRIGGERS),
        person=rng.choice(PEOPLE)[0].split()[0],
        n=rng.randint(2, 95),
    )


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def populate(url: str, today: date, seed: int = 18) -> dict[str, int]:
    """Make the database at `url` (created and migrated) hold the generated history; gives
    how many rows of each kind it wrote."""
    import sqlalchemy as sa

    from debrief_tui.core.persistence import open_database
    from debrief_tui.core.persistence.models import (
        Action,
        Attendee,
        Factor,
        Minute,
        PostmortemSession,
        StageRun,
        TimelineEvent,
        WhyNode,
    )

    rng = random.Random(seed)
    database = open_database(url)
    span = (datetime(today.year, today.month, today.day, tzinfo=UTC) - FIRST_DAY).total_seconds()
    starts = sorted(FIRST_DAY + timedelta(seconds=rng.uniform(0, span)) for _ in range(SESSIONS))
    sessions: list[dict[str, Any]] = []
    for number, started in enumerate(starts, start=1):
        detected = started + timedelta(minutes=rng.randint(1, 90))
        mitigated = detected + timedelta(minutes=rng.randint(5, 240))
        resolved = mitigated + timedelta(minutes=rng.randint(0, 300))
        service = rng.choice(SERVICES)
        sessions.append(
            {
                "id": number,
                "title": f"{service}: {rng.choice(SYMPTOMS)} after {rng.choice(TRIGGERS)}",
                "severity": rng.choice(SEVERITIES),
                "status": rng.choice(("draft", "in review", "reviewed", "published")),
                "timezone": rng.choice(ZONES),
                "summary": _fill(rng, "For {n} minutes {service} showed {symptom}."),
                "created_at": resolved + timedelta(hours=rng.randint(1, 72)),
                "updated_at": resolved + timedelta(days=rng.randint(1, 20)),
                "started_at": started,
                "detected_at": detected,
                "mitigated_at": mitigated,
                "resolved_at": resolved,
                "review_at": resolved + timedelta(days=rng.randint(0, 12)),
                "services_affected": ", ".join({service, rng.choice(SERVICES)}),
                "detection_method": rng.choice(DETECTION),
                "source": "bench",
            }
        )
    counts: dict[str, int] = {}

    def insert(table: Any, rows: Iterator[dict[str, Any]]) -> None:
        written = 0
        for batch in _batches(rows):
            with database.engine.begin() as conn:
                conn.execute(sa.insert(table), batch)
            written += len(batch)
        counts[table.name] = written

    insert(PostmortemSession.__table__, iter(sessions))  # type: ignore[attr-defined]

    def attendees() -> Iterator[dict[str, Any]]:
        for session in sessions:
            for name, team in rng.sample(PEOPLE, ATTENDEES_PER_SESSION):
                yield {"session_id": session["id"], "name": name, "team": team, "role": "responder"}

    def events() -> Iterator[dict[str, Any]]:
        for session in sessions:
            for n in range(EVENTS_PER_SESSION):
                yield {
                    "session_id": session["id"],
                    "at": session["started_at"] + timedelta(minutes=7 * n),
                    "text": _fill(rng, rng.choice(MINUTE_LINES)),
                    "kind": rng.choice(("observation", "alert", "action", "comms")),
                    "key_event": n in (0, 3),
                    "approximate": False,
                }

    def whys() -> Iterator[dict[str, Any]]:
        # The problem statement, and one answer under it marked a root cause (their ids are
        # given: the answer points at its problem).
        for session in sessions:
            problem = 2 * session["id"] - 1
            yield {
                "id": problem,
                "session_id": session["id"],
                "parent_id": None,
                "position": 0,
                "text": session["title"],
                "root_cause": False,
            }
            yield {
                "id": problem + 1,
                "session_id": session["id"],
                "parent_id": problem,
                "position": 0,
                "text": _fill(rng, rng.choice(ROOT_CAUSES)),
                "root_cause": True,
            }

    def runs() -> Iterator[dict[str, Any]]:
        # Most meetings were held (their clock started); some never were.
        for session in sessions:
            if rng.random() < 0.9:
                yield {
                    "session_id": session["id"],
                    "stage": "ground-rules",
                    "started_at": session["review_at"],
                    "ended_at": session["review_at"] + timedelta(minutes=5),
                }

    def factors() -> Iterator[dict[str, Any]]:
        for session in sessions:
            for position in range(FACTORS_PER_SESSION):
                yield {
                    "session_id": session["id"],
                    "category": rng.choice(CATEGORIES),
                    "text": _fill(rng, "{trigger} was not caught on {service}"),
                    "position": position,
                }

    def minutes() -> Iterator[dict[str, Any]]:
        per = MINUTES // SESSIONS
        for session in sessions:
            meeting = session["review_at"]
            for n in range(per):
                yield {
                    "session_id": session["id"],
                    "at": meeting + timedelta(seconds=20 * n),
                    "stage": "timeline",
                    "author": None,
                    "text": _fill(rng, rng.choice(MINUTE_LINES)),
                }

    def actions() -> Iterator[dict[str, Any]]:
        per = ACTIONS // SESSIONS
        for session in sessions:
            for _ in range(per):
                owner, _team = rng.choice(PEOPLE)
                due = session["resolved_at"].date() + timedelta(days=rng.randint(7, 90))
                yield {
                    "session_id": session["id"],
                    "text": _fill(rng, rng.choice(ACTION_LINES)),
                    "owner": owner if rng.random() > 0.05 else "",
                    "due_date": due if rng.random() > 0.05 else None,
                    "priority": rng.choice(("P1", "P2", "P2", "P3")),
                    "type": rng.choice(("prevent", "mitigate", "detect", "process")),
                    "status": (
                        rng.choices(STATUSES, PAST_DUE_WEIGHTS)[0]
                        if due < today
                        else rng.choice(STATUSES[:3])
                    ),
                    "ticket": f"OPS-{rng.randint(100, 99999)}" if rng.random() > 0.4 else "",
                    "proposal": False,
                }

    insert(Attendee.__table__, attendees())  # type: ignore[attr-defined]
    insert(TimelineEvent.__table__, events())  # type: ignore[attr-defined]
    insert(WhyNode.__table__, whys())  # type: ignore[attr-defined]
    insert(Factor.__table__, factors())  # type: ignore[attr-defined]
    insert(Minute.__table__, minutes())  # type: ignore[attr-defined]
    insert(Action.__table__, actions())  # type: ignore[attr-defined]
    insert(StageRun.__table__, runs())  # type: ignore[attr-defined]
    if database.engine.url.get_backend_name() == "postgresql":
        # Rows inserted with their own ids leave the sequence behind; the planner wants stats.
        with database.engine.begin() as conn:
            for table in ("session", "why_node"):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))"
                    )
                )
            conn.execute(sa.text("ANALYZE"))
    else:
        with database.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    database.dispose()
    return counts
