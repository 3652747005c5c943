"""Benchmark: one day's digests (`follows.sending.send_due`) for many followers, on
PostgreSQL.

    .venv/bin/python benches/digests.py                # 100,000 followers, 1,000 records
    .venv/bin/python benches/digests.py --scale 0.1    # 10,000 and 100 (make bench)

Not part of the test suite. It fills a throwaway database as benches/detect.py does
(`fill.fill_follows`: organizations, confirmed readers on the daily digest following five
organizations each, one in four reading French, then the new published allocations)
and runs the detection pass once, so the notices exist (its time is printed, it is not
this benchmark's measure). It then times `send_due(now)` at a minute past the next
digest hour (`FOLLOWS_DIGEST_HOUR`): every reader with news gets one digest, computed
(readers locked, notices read, records described in each language, deliveries written)
and rendered (text and HTML in the reader's language, the MIME message with its
unsubscribe headers).

E-mail goes to `BuildingBackend`, a null backend of this file that builds every message's
bytes as Django's SMTP backend does before writing them to the socket, and sends
nothing: we measure computing and rendering, not an SMTP server (docs/performance.md's
"Sending e-mails" gives the time of a real SMTP conversation). Django's locmem backend
would keep 100,000 messages in memory and never serialize them.

Issue #16 asks that the queries per digest be constant: the queries of each chunk of
500 readers are counted, and a second day is sent with DENSER times the new records (2.5
times the notices per digest: 4.1 rather than 1.6). Every chunk of both days must make
the same number of queries, and every reader with news get one e-mail; otherwise the
run says so and fails. No target is set for the time by the issue: e-mails per second are reported
for reading (docs/performance.md). The database is dropped at the end unless `--keep`.
"""

import argparse
import datetime
import sys
import time
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(HERE)]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from fill import (  # noqa: E402
    FOLLOWS_EACH,
    fill_follows,
    follows_scale,
    parse_follows_arguments,
    publish_allocations,
)
from report import Measure, report  # noqa: E402

# One reader in this many reads French: each chunk describes its records in both languages.
FRENCH_EVERY = 4
# The second day's new records, times the first day's: more notices in each digest.
DENSER = 4


class BuildingBackend(BaseEmailBackend):
    """Builds each message as the SMTP backend does (`message().as_bytes()` with CRLF line
    ends) and counts them and their bytes, sending nothing."""

    messages = 0
    octets = 0

    def send_messages(self, email_messages) -> int:
        for email in email_messages:
            type(self).octets += len(email.message().as_bytes(linesep="\r\n"))
            type(self).messages += 1
        return len(email_messages)


BACKEND = f"{__name__}.{BuildingBackend.__name__}"


@dataclass
class Day:
    """One day's digests as sent and counted."""

    notices: int
    due: int  # readers with news
    digests: int  # e-mails send_due says it sent
    built: int  # messages the backend built
    octets: int
    seconds: float
    chunks: list[int]  # queries of each chunk of readers

    @property
    def notices_each(self) -> float:
        return self.notices / max(1, self.digests)

    @property
    def kib_each(self) -> float:
        return self.octets / max(1, self.built) / 1024


def main(argv: list[str] | None = None) -> int:
    args = parse_follows_arguments(__doc__, argv)
    print(f"Scale: {follows_scale(args)}, then {args.records * DENSER:,}; seed {args.seed}")
    with django_on_engines("digests", args.keep, elasticsearch=False):
        from django.test import override_settings

        started = time.perf_counter()
        followed = fill_follows(args.followers, args.records, args.seed, FRENCH_EVERY)
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        send_at = next_digest_time()
        with override_settings(EMAIL_BACKEND=BACKEND):
            first = one_day(send_at)
            publish_allocations(args.records * DENSER, followed)
            denser = one_day(send_at + datetime.timedelta(days=1))
    problems = check(first, denser)
    report(measures(args, first, denser))
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


def next_digest_time() -> datetime.datetime:
    """A minute past the next `FOLLOWS_DIGEST_HOUR`, local time: the moment the day's
    digests are due."""
    from django.utils import timezone

    from follows.sending import digest_hour

    local = timezone.localtime()
    at = local.replace(hour=digest_hour(), minute=1, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


def one_day(send_at: datetime.datetime) -> Day:
    """Detect the new records (timed, printed), then time `send_due(send_at)` and count
    its queries by chunk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from follows.detection import detect
    from follows.models import Notice, NoticeState
    from follows.sending import send_due

    started = time.perf_counter()
    notices = detect(now=timezone.now())
    print(f"Detection: {notices:,} notices in {time.perf_counter() - started:.2f} s")
    due = (
        Notice.objects.filter(state=NoticeState.PENDING).values("subscriber_id").distinct().count()
    )
    BuildingBackend.messages = BuildingBackend.octets = 0
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        digests = send_due(send_at)
        seconds = time.perf_counter() - started
    day = Day(
        notices=notices,
        due=due,
        digests=digests,
        built=BuildingBackend.messages,
        octets=BuildingBackend.octets,
        seconds=seconds,
        chunks=chunk_queries([query["sql"] for query in queries.captured_queries]),
    )
    print(
        f"Sent at {send_at:%Y-%m-%d %H:%M %Z}: {digests:,} digests of "
        f"{day.notices_each:.1f} notices on average in {seconds:.2f} s "
        f"({digests / seconds:,.0f}/s, {day.kib_each:.1f} KiB each); queries a chunk: "
        + ", ".join(f"{n} ({times} chunks)" for n, times in sorted(Counter(day.chunks).items()))
    )
    return day


# Transaction statements Django records among the queries; not counted.
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def chunk_queries(statements: list[str]) -> list[int]:
    """The number of queries of each chunk of readers of a `send_due` pass, from its
    statements in order, transaction statements left out. A chunk begins with the query
    that locks its readers (`SELECT … FROM follows_subscriber … FOR UPDATE`) and runs to
    the next, its e-mails' outcomes included; the last such query finds no one left, and
    it and the rest (the queued e-mails' loop) are no chunk."""
    from follows.models import Subscriber

    table = f' FROM "{Subscriber._meta.db_table}" '
    queries = [sql for sql in statements if not sql.upper().startswith(TRANSACTION)]
    starts = [i for i, sql in enumerate(queries) if table in sql and "FOR UPDATE" in sql.upper()]
    return [end - start for start, end in pairwise(starts)]


def check(first: Day, denser: Day) -> list[str]:
    """What breaks the benchmark's claims: a reader with news without exactly one e-mail,
    or chunks making different numbers of queries."""
    problems = []
    for name, day in (("first day", first), ("denser day", denser)):
        if not day.digests == day.built == day.due:
            problems.append(
                f"{name}: {day.due:,} readers with news, {day.digests:,} digests sent, "
                f"{day.built:,} messages built"
            )
    counts = set(first.chunks + denser.chunks)
    if len(counts) != 1 or not (first.chunks and denser.chunks):
        problems.append(
            f"queries per chunk not constant: {first.chunks} (first day), "
            f"{denser.chunks} (denser day)"
        )
    return problems


def measures(args: argparse.Namespace, first: Day, denser: Day) -> list[Measure]:
    size = f"{args.followers:,} followers × {FOLLOWS_EACH} follows"
    chunks = first.chunks + denser.chunks or [0]
    return [
        Measure(
            bench="digests",
            name=f"a day's digests, {args.records:,} new records",
            value=first.seconds,
            unit="s",
            detail=(
                f"{size}: {first.digests:,} digests of {first.notices:,} notices, "
                f"{first.kib_each:.1f} KiB each; {DENSER}× the records "
                f"the next day: {denser.digests:,} digests of {denser.notices:,} notices in "
                f"{denser.seconds:.2f} s ({denser.digests / denser.seconds:,.0f}/s)"
            ),
        ),
        Measure(
            bench="digests",
            name="e-mails per second",
            value=first.digests / first.seconds,
            unit="/s",
        ),
        Measure(
            bench="digests",
            name="queries per 500-reader chunk",
            value=max(chunks),
            unit="",
            detail=(
                f"{len(first.chunks)} chunks at {first.notices_each:.1f} notices a digest, "
                f"{len(denser.chunks)} at {denser.notices_each:.1f}: {min(chunks)} to "
                f"{max(chunks)} queries a chunk, "
                f"{sum(first.chunks) / max(1, first.digests):.3f} a digest"
            ),
        ),
        Measure(
            bench="digests",
            name="queries per chunk, most / fewest",
            value=max(chunks) / max(1, min(chunks)),
            unit="×",
            at_most=1,
        ),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
