"""Benchmark: the representation burden of a large catalogue, on PostgreSQL.

    make bench-burden                          # 10,000 organizations, 50,000 seats,
                                               # 500,000 meetings and their attendance;
                                               # the page over 5,000 organizations
    make bench-burden ARGS="--scale 0.01"      # a quick run: 100, 500, 5,000
    .venv/bin/python benches/burden.py --organizations 1000 --meetings 20000 --explain

Not part of the test suite (pytest collects `tests/` only). It creates a throwaway
database — on the PostgreSQL server of `DATABASE_URL` when that is a PostgreSQL URL,
otherwise on a cluster started here with `scripts/postgres` (its own state folder,
`var/bench-postgres`, so a cluster already running for the tests is left alone) and
stopped at the end — migrates it, copies it (PostgreSQL's `CREATE DATABASE … TEMPLATE`)
for the page, and fills each in bulk: the organizations with `manage.py generate_demo`,
then fora, seats, seat terms, meetings and attendances with PostgreSQL's COPY (explicit
primary keys, sequences reset afterwards), under progress bars. After `VACUUM ANALYZE`
it times the burden of the whole catalogue (`burden_report.rows`: every organization's
figures) from the records alone, builds the monthly summary (`burden_summary.refresh_all`,
as `manage.py burden_summary` after a bulk load) and times it again through the
summary; then, on the copy filled at half the organizations, seats and meetings (and
summarized), the `/burden/` page through Django's test client, and reports both through
`benches/report.py`. With `--definition` it also times `with_burden` (the correlated
subqueries, the definition as SQL) once and checks that every figure is equal. The
databases are dropped at the end unless `--keep`. Results and their reading:
docs/burden.md.
"""

import argparse
import datetime
import math
import random
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import copied_database, django_on_engines  # noqa: E402 - benches/ is the script's folder
from report import Measure, apply_scale, arguments, count, report  # noqa: E402

DEFAULTS = {"organizations": 10_000, "seats": 50_000, "meetings": 500_000}
# The page is measured at half the catalogue: 5,000 organizations (issue #15's figure).
PAGE_SHARE = 0.5
SEATS_PER_FORUM = 10
HISTORY_YEARS = 3  # meetings spread over the years before --as-of (the window is one)
CHUNK = 10_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments(__doc__, DEFAULTS)
    parser.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        default=datetime.date(2024, 12, 31),
        help="the last day of the burden window (default 2024-12-31)",
    )
    parser.add_argument("--repeat", type=count, default=3, help="timed runs (default 3)")
    parser.add_argument(
        "--page-repeat", type=count, default=9, help="timed page requests (default 9)"
    )
    parser.add_argument(
        "--definition",
        action="store_true",
        help="also time with_burden (the definition) once and compare every figure",
    )
    parser.add_argument("--explain", action="store_true", help="print the query plan")
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # in order with the progress bars
    print(
        f"Scale: {args.organizations:,} organizations, {args.seats:,} seats, "
        f"{args.meetings:,} meetings (one attendance each); seed {args.seed}; "
        f"window ending {args.as_of}"
    )
    # Bulk writes, nothing to index: no Elasticsearch.
    with (
        django_on_engines("burden", args.keep, elasticsearch=False) as engines,
        copied_database(engines.server, engines.database, args.keep) as page_database,
    ):
        started = time.perf_counter()
        Filler(args).fill()
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        computation = measure(args)
        page_args = argparse.Namespace(**vars(args))
        for name in DEFAULTS:
            setattr(page_args, name, max(1, round(getattr(args, name) * PAGE_SHARE)))
        use_database(page_database)
        started = time.perf_counter()
        Filler(page_args).fill()
        from consultations.fora.burden_summary import refresh_all

        refresh_all()
        print(
            "Filled the page's database and built its summary in "
            f"{time.perf_counter() - started:.1f} s"
        )
        page = measure_page(page_args)
        use_database(None)
    report([computation, page])
    return 0


_first_database: list[str] = []


def use_database(name: str | None) -> None:
    """Point Django's connection at database `name` (None: back to the first one)."""
    from django.db import connection

    connection.close()
    if not _first_database:
        _first_database.append(connection.settings_dict["NAME"])
    connection.settings_dict["NAME"] = name or _first_database[0]


class Filler:
    """Writes the synthetic catalogue: random but deterministic for a seed."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)

    def fill(self) -> None:
        from django.core.management import call_command
        from django.core.management.color import no_style
        from django.db import connection, transaction

        from consultations.fora.models import Attendance, Forum, Meeting, Seat, SeatTerm
        from organizations.models import Organization, Sector

        call_command("generate_demo", organizations=self.args.organizations, seed=self.args.seed)
        organizations = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        sectors = list(Sector.objects.values_list("pk", flat=True))
        fora = math.ceil(self.args.seats / SEATS_PER_FORUM)
        with transaction.atomic():
            starts = self.fora(Forum, fora, organizations)
            seats = self.seats(Seat, fora, sectors)
            terms = self.terms(SeatTerm, seats, starts, organizations)
            meetings = self.meetings(Meeting, starts)
            self.attendances(Attendance, meetings, seats, terms)
            models = [Forum, Seat, SeatTerm, Meeting, Attendance]
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute("VACUUM ANALYZE")
            print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    def fora(self, model, count: int, organizations: list[int]) -> list[datetime.date]:
        """Fora 1..count; returns each one's first day (index = pk - 1)."""
        rng, as_of = self.rng, self.args.as_of
        levels = ("local", "regional", "national", "multisectoral")
        kinds = ("government_table", "sector_table", "health_board", "development_council")
        starts = [as_of - datetime.timedelta(days=rng.randint(365, 3650)) for _ in range(count)]
        rows = (
            (
                pk,
                f"Synthetic forum {pk}",
                f"synthetic-forum-{pk}",
                rng.choice(levels),
                rng.choice(kinds),
                rng.choice(organizations),
                starts[pk - 1],
                "",
            )
            for pk in range(1, count + 1)
        )
        fields = ("id", "name", "slug", "level", "kind", "convenor", "active_from", "description")
        copy(model, fields, rows, count, "forum")
        return starts

    def seats(self, model, fora: int, sectors: list[int]) -> list[int]:
        """Seats 1..N; returns each one's forum (index = pk - 1). A third come with no
        support at all."""
        rng = self.rng
        forum_of = [1 + n // SEATS_PER_FORUM for n in range(self.args.seats)]

        def rows() -> Iterator[tuple]:
            for pk, forum in enumerate(forum_of, 1):
                supported = rng.random() >= 1 / 3
                yield (
                    pk,
                    forum,
                    f"Seat {pk}",
                    "sector",
                    rng.choice(sectors),
                    Decimal(rng.choice((0, 100, 150))) if supported else 0,
                    Decimal(rng.choice((0, 80, 120))) if supported else 0,
                    Decimal(rng.choice((0, 0, 8))) if supported else 0,
                )

        fields = (
            "id",
            "forum",
            "label",
            "designation",
            "sector",
            "per_diem",
            "travel_allowance",
            "release_time_hours",
        )
        copy(model, fields, rows(), len(forum_of), "seat")
        return forum_of

    def terms(
        self,
        model,
        seats: list[int],
        starts: list[datetime.date],
        organizations: list[int],
    ) -> list[list[tuple[int, datetime.date, datetime.date | None]]]:
        """Holders of each seat (index = seat pk - 1): 5 % vacant, 20 % with a past
        holder. Holders are skewed: a few organizations hold many seats, most few."""
        rng, as_of = self.rng, self.args.as_of
        held: list[list[tuple[int, datetime.date, datetime.date | None]]] = []
        rows: list[tuple] = []

        def holder() -> int:
            return organizations[int(len(organizations) * rng.random() ** 2)]

        for seat, forum in enumerate(seats, 1):
            terms: list[tuple[int, datetime.date, datetime.date | None]] = []
            start = starts[forum - 1]
            if rng.random() >= 0.05:
                if rng.random() < 0.2:
                    change = start + datetime.timedelta(days=rng.randint(30, (as_of - start).days))
                    terms.append((len(rows) + 1, start, change))
                    rows.append((len(rows) + 1, seat, holder(), "", start, change))
                    start = change
                terms.append((len(rows) + 1, start, None))
                rows.append((len(rows) + 1, seat, holder(), "", start, None))
            held.append(terms)
        fields = ("id", "seat", "organization", "delegate", "starts_on", "ends_on")
        copy(model, fields, rows, len(rows), "term")
        return held

    def meetings(self, model, starts: list[datetime.date]) -> list[tuple[int, datetime.date]]:
        """Meetings spread evenly over the fora, on random days of the last
        HISTORY_YEARS years; returns each one's forum and day (index = pk - 1)."""
        rng, as_of, count = self.rng, self.args.as_of, self.args.meetings
        earliest = as_of - datetime.timedelta(days=365 * HISTORY_YEARS)
        planned = []
        for n in range(count):
            forum = 1 + n % len(starts)
            first = max(starts[forum - 1], earliest)
            planned.append(
                (forum, first + datetime.timedelta(rng.randint(0, (as_of - first).days)))
            )

        def rows() -> Iterator[tuple]:
            for pk, (forum, held_on) in enumerate(planned, 1):
                online = rng.random() < 0.4
                travel = 0 if online else rng.choice((0.5, 1, 2, 3, 4, 6))
                hours = rng.choice((1.5, 2, 2.5, 3, 4, 6))
                mode = "online" if online else "in_person"
                yield (pk, forum, held_on, Decimal(str(hours)), mode, Decimal(str(travel)))

        fields = ("id", "forum", "held_on", "duration_hours", "mode", "travel_hours")
        copy(model, fields, rows(), count, "meeting")
        return planned

    def attendances(
        self,
        model,
        meetings: list[tuple[int, datetime.date]],
        seats: list[int],
        terms: list[list[tuple[int, datetime.date, datetime.date | None]]],
    ) -> None:
        """One attendance per meeting: the holder of the day of a seat of its forum
        (a few tries when the seat drawn was vacant that day); 90 % attended."""
        rng = self.rng

        def rows() -> Iterator[tuple]:
            pk = 0
            for meeting, (forum, held_on) in enumerate(meetings, 1):
                first_seat = (forum - 1) * SEATS_PER_FORUM
                last_seat = min(first_seat + SEATS_PER_FORUM, len(seats)) - 1
                for _try in range(3):
                    seat = rng.randint(first_seat, last_seat)
                    term = next(
                        (
                            term
                            for term, start, end in terms[seat]
                            if start <= held_on and (end is None or held_on < end)
                        ),
                        None,
                    )
                    if term is not None:
                        pk += 1
                        yield (pk, meeting, term, rng.random() < 0.9)
                        break

        copy(model, ("id", "meeting", "term", "attended"), rows(), len(meetings), "attendance")


def copy(model, fields: Iterable[str], rows: Iterable[tuple], total: int, unit: str) -> None:
    """COPY `rows` into the model's table, under a progress bar."""
    from django.db import connection
    from tqdm import tqdm

    columns = ", ".join(model._meta.get_field(name).column for name in fields)
    statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(statement) as stream,
        tqdm(total=total, unit=unit, file=sys.stderr) as bar,
    ):
        written = 0
        for written, row in enumerate(rows, 1):
            stream.write_row(row)
            if written % CHUNK == 0:
                bar.update(CHUNK)
        bar.update(written % CHUNK)


def measure(args: argparse.Namespace) -> Measure:
    """Time every organization's figures over the catalogue (`burden_report.rows`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultations.fora import burden_report
    from consultations.fora.burden import window, with_burden
    from consultations.fora.burden_summary import refresh_all
    from consultations.fora.models import Attendance, Meeting, Seat, SeatTerm
    from organizations.models import Organization

    counts = {
        "organizations": Organization.objects.count(),
        "seats": Seat.objects.count(),
        "seat terms": SeatTerm.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendances": Attendance.objects.count(),
    }
    sizes = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    print(f"Rows: {sizes}")
    period = window(args.as_of)
    if args.explain:
        print(with_burden(Organization.objects.all(), period).explain(analyze=True, buffers=True))
    records = time_rows(args, period)  # no summary yet: every month from the records
    started = time.perf_counter()
    months = refresh_all()
    refreshed = time.perf_counter() - started
    print(f"Built the monthly summary ({len(months)} months) in {refreshed:.1f} s")
    seconds = time_rows(args, period)
    with CaptureQueriesContext(connection) as queries:
        rows = burden_report.rows(period)
    statements = [q["sql"] for q in queries.captured_queries]
    selects = sum(sql.startswith(("SELECT", "(SELECT")) for sql in statements)
    overloaded = sum(row.overloaded for row in rows)
    seated = sum(row.active_seats > 0 for row in rows)
    print(
        f"burden_report.rows over {len(rows):,} organizations ({seated:,} seated, "
        f"{overloaded:,} overloaded), window of {period.months} months ending "
        f"{period.as_of}: {selects} SELECTs per run ({len(statements)} statements); "
        f"through the summary: best {min(seconds):.3f} s, median "
        f"{statistics.median(seconds):.3f} s over {len(seconds)} runs; from the records "
        f"alone: median {statistics.median(records):.3f} s"
    )
    detail = (
        f"{sizes}; {selects} SELECTs; median of {len(seconds)} through the monthly summary "
        f"(built in {refreshed:.1f} s); from the records alone "
        f"{statistics.median(records):.2f} s"
    )
    if args.definition:
        started = time.perf_counter()
        defined = {o.pk: o for o in with_burden(Organization.objects.all(), period)}
        elapsed = time.perf_counter() - started
        differing = [
            (row.pk, figure)
            for row in rows
            for figure in figures()
            if getattr(row, figure) != getattr(defined[row.pk], figure)
        ]
        print(
            f"with_burden (the definition, 1 query): {elapsed:.2f} s; "
            f"{len(differing)} figures differ{': ' + str(differing[:5]) if differing else ''}"
        )
        detail += f"; with_burden {elapsed:.2f} s, {len(differing)} figures differ"
    return Measure(
        bench="burden",
        name="burden computation, full catalogue",
        value=round(statistics.median(seconds), 3),
        unit="s",
        at_most=1,
        detail=detail,
    )


def time_rows(args: argparse.Namespace, period) -> list[float]:
    """Seconds each of `--repeat` runs of `burden_report.rows` takes."""
    from consultations.fora import burden_report

    seconds = []
    for _run in range(args.repeat):
        started = time.perf_counter()
        burden_report.rows(period)
        seconds.append(time.perf_counter() - started)
    return seconds


def figures() -> tuple[str, ...]:
    """The figures `with_burden` and `burden_report.rows` both give: the report's
    columns but the organization's own (its name, region and staff)."""
    from consultations.fora.burden_report import COLUMNS

    own = {"organization", "region", "staff_fte"}
    return tuple(key for key, _label in COLUMNS if key not in own)


def measure_page(args: argparse.Namespace) -> Measure:
    """Time `/burden/` (the default sort, first page) through Django's test client."""
    from django.test import Client

    from organizations.models import Organization

    client = Client()
    url = f"/burden/?as_of={args.as_of.isoformat()}"
    assert client.get(url).status_code == 200  # a first request warms the caches
    milliseconds = []
    for _run in range(args.page_repeat):
        started = time.perf_counter()
        response = client.get(url)
        milliseconds.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    organizations = Organization.objects.count()
    p50 = statistics.median(milliseconds)
    print(
        f"/burden/ over {organizations:,} organizations ({args.seats:,} seats, "
        f"{args.meetings:,} meetings): p50 {p50:.0f} ms, best {min(milliseconds):.0f} ms, "
        f"worst {max(milliseconds):.0f} ms over {len(milliseconds)} requests"
    )
    return Measure(
        bench="burden",
        name="/burden/ page p50",
        value=round(p50),
        unit="ms",
        at_most=300,
        detail=(
            f"{organizations:,} organizations, {args.seats:,} seats, {args.meetings:,} "
            f"meetings; {len(milliseconds)} requests, worst {max(milliseconds):.0f} ms"
        ),
    )


if __name__ == "__main__":
    sys.exit(main())
