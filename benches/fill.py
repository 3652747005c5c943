"""The archive a search benchmark works on: organizations from `manage.py generate_demo`,
then synthetic fora up to a number of search documents, written with PostgreSQL's COPY.

benches/search.py, search_query.py and cluster.py fill their throwaway database with
`fill_archive` (after `engines.django_on_engines`). Bulk writes bypass the indexing
signals, as a restored database's would: the benchmark builds its index itself. Other
benchmarks' records of more than one kind are written with the helpers at the end
(`create_programmes`), and the follows benchmarks (benches/detect.py, digests.py) fill
theirs with `fill_follows`: readers following organizations, then new allocations
(`publish_allocations`).
"""

import argparse
import datetime
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from report import apply_scale, arguments

# The archive's full-scale sizes: 10,000 organizations, fora up to 100,000 documents.
SIZES = {"organizations": 10_000, "documents": 100_000}
CHUNK = 10_000
# The follows benchmarks: issue #16's "5 follows each", of one organization for every 20
# readers, and the programmes the new allocations are in.
FOLLOWS_EACH = 5
FOLLOWERS_PER_ORGANIZATION = 20
PROGRAMMES = 50
BATCH = 5_000
# Words of the synthetic fora names and descriptions (the query benchmarks ask for two).
WORDS_EN = [
    "health",
    "network",
    "regional",
    "housing",
    "food",
    "security",
    "transport",
    "youth",
    "elders",
    "employment",
    "training",
    "culture",
    "environment",
    "water",
    "forestry",
    "fisheries",
    "mining",
    "community",
    "development",
    "policy",
    "consultation",
    "table",
    "agreement",
    "funding",
    "report",
]
WORDS_FR = [
    "santé",
    "réseau",
    "régional",
    "logement",
    "sécurité",
    "alimentaire",
    "transport",
    "jeunesse",
    "aînés",
    "emploi",
    "formation",
    "culture",
    "environnement",
    "eau",
    "forêt",
    "pêche",
    "mines",
    "communauté",
    "développement",
    "politique",
    "concertation",
    "table",
    "entente",
    "financement",
    "rapport",
]


def archive_arguments(doc: str) -> argparse.ArgumentParser:
    """The command line of a benchmark on this archive (`report.arguments` with SIZES);
    parse it with `parse_archive_arguments`."""
    return arguments(doc, SIZES, documents="search documents in all, the organizations plus fora")


def parse_archive_arguments(
    parser: argparse.ArgumentParser, argv: list[str] | None
) -> argparse.Namespace:
    """The arguments, the archive's sizes scaled, and no fewer documents than
    organizations (each organization is a document)."""
    args = parser.parse_args(argv)
    apply_scale(args, SIZES)
    if args.documents < args.organizations:
        parser.error("--documents must be at least --organizations")
    return args


def fill_archive(organizations: int, documents: int, seed: int) -> None:
    """`organizations` organizations (generate_demo), then fora up to `documents` search
    documents in all (COPY): random names, levels, kinds, convenors, regions, one or two
    sectors, and descriptions of eight English and eight French words of WORDS_EN and
    WORDS_FR; the same for the same `seed`. Then VACUUM ANALYZE."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from tqdm import tqdm

    from consultations.fora.models import Forum
    from organizations.models import Organization, Region, Sector
    from search.rebuild import count_documents
    from search.registry import registry

    call_command("generate_demo", organizations=organizations, seed=seed)
    rng = random.Random(seed)
    fora = max(0, documents - count_documents())
    convenors = list(Organization.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    sectors = list(Sector.objects.values_list("pk", flat=True))
    levels = ("local", "regional", "national", "multisectoral")
    kinds = ("government_table", "sector_table", "health_board", "development_council")
    through = Forum.sectors.through
    with transaction.atomic(), connection.cursor() as cursor:
        with (
            cursor.cursor.copy(
                f"COPY {Forum._meta.db_table} (id, name, slug, level, kind, convenor_id, "
                "region_id, active_from, description) FROM STDIN"
            ) as stream,
            tqdm(total=fora, unit="forum", file=sys.stderr) as bar,
        ):
            for pk in range(1, fora + 1):
                words = rng.sample(WORDS_EN, 8) + rng.sample(WORDS_FR, 8)
                stream.write_row(
                    (
                        pk,
                        f"Synthetic forum {pk} on {' and '.join(words[:2])}",
                        f"synthetic-forum-{pk}",
                        rng.choice(levels),
                        rng.choice(kinds),
                        rng.choice(convenors),
                        rng.choice(regions) if rng.random() < 0.8 else None,
                        f"{2000 + rng.randint(0, 24)}-{rng.randint(1, 12):02}-01",
                        " ".join(words),
                    )
                )
                if pk % CHUNK == 0:
                    bar.update(CHUNK)
            bar.update(fora % CHUNK)
        with cursor.cursor.copy(
            f"COPY {through._meta.db_table} (forum_id, sector_id) FROM STDIN"
        ) as stream:
            for pk in range(1, fora + 1):
                for sector in rng.sample(sectors, rng.randint(1, 2)):
                    stream.write_row((pk, sector))
        for statement in connection.ops.sequence_reset_sql(no_style(), [Forum]):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    by_kind = {searchable.kind: searchable.get_queryset().count() for searchable in registry}
    print(
        f"Search documents: {sum(by_kind.values()):,} ("
        + ", ".join(f"{n:,} {kind}" for kind, n in by_kind.items() if n)
        + ")"
    )


def create_programmes(programmes: Iterable[tuple[object, str, str]]) -> None:
    """Funding programmes in bulk, one per (funder organization, name, slug): project
    mode, from fiscal year 2020."""
    from organizations.funding.models import Programme

    Programme.objects.bulk_create(
        Programme(name=name, slug=slug, funder=funder, mode="project", first_fiscal_year=2020)
        for funder, name, slug in programmes
    )


# The follows benchmarks' full-scale sizes: issue #16's 100,000 followers, 1,000 records.
FOLLOWS_SIZES = {"followers": 100_000, "records": 1_000}


def parse_follows_arguments(doc: str, argv: list[str] | None) -> argparse.Namespace:
    """The command line of a follows benchmark (`report.arguments` with FOLLOWS_SIZES),
    parsed, the sizes scaled (at least FOLLOWERS_PER_ORGANIZATION)."""
    parser = arguments(doc, FOLLOWS_SIZES, followers="readers", records="allocations published")
    args = parser.parse_args(argv)
    apply_scale(args, FOLLOWS_SIZES, at_least=FOLLOWERS_PER_ORGANIZATION)
    return args


def follows_scale(args: argparse.Namespace) -> str:
    """The sizes of a follows benchmark, for its first line."""
    return (
        f"{args.followers:,} followers × {FOLLOWS_EACH} follows of "
        f"{organizations_followed(args.followers):,} organizations; {args.records:,} new "
        f"records"
    )


def organizations_followed(followers: int) -> int:
    """How many organizations `followers` readers follow (one for every
    FOLLOWERS_PER_ORGANIZATION readers, enough to draw FOLLOWS_EACH distinct ones)."""
    return max(FOLLOWS_EACH * 2, followers // FOLLOWERS_PER_ORGANIZATION)


@dataclass
class Followed:
    """What `fill_follows` made that later records are drawn from: the organizations
    followed, the programmes, and the random generator the fill went on with."""

    organizations: list[int]
    programmes: list[int]
    rng: random.Random


def fill_follows(followers: int, records: int, seed: int, french_every: int = 0) -> Followed:
    """Organizations (`organizations_followed`), a funder and PROGRAMMES programmes;
    `followers` readers, confirmed a day ago, daily digest, following FOLLOWS_EACH random
    organizations each since then (every `french_every`-th reader reads French, none when
    0); then `records` published allocations recorded now (`publish_allocations`). In bulk,
    one transaction, then VACUUM ANALYZE; the same for the same `seed`."""
    from django.db import connection, transaction
    from django.utils import timezone

    from follows.models import Follow, FollowKind, Subscriber
    from organizations.funding.models import Allocation, Programme
    from organizations.models import Organization

    rng = random.Random(seed)
    organizations = organizations_followed(followers)
    earlier = timezone.now() - datetime.timedelta(days=1)
    with transaction.atomic():
        for start in range(0, organizations, BATCH):
            Organization.objects.bulk_create(
                Organization(
                    name=f"Organisme {i:07d}", slug=f"organisme-{i:07d}", kind="community_group"
                )
                for i in range(start, min(organizations, start + BATCH))
            )
        funder = Organization.objects.create(name="Ministère", slug="ministere", kind="government")
        create_programmes((funder, f"Programme {i}", f"programme-{i}") for i in range(PROGRAMMES))
        followed = Followed(
            organizations=list(
                Organization.objects.exclude(pk=funder.pk).values_list("pk", flat=True)
            ),
            programmes=list(Programme.objects.values_list("pk", flat=True)),
            rng=rng,
        )
        for start in range(0, followers, BATCH):
            readers = Subscriber.objects.bulk_create(
                Subscriber(
                    email=f"reader-{i}@example.org",
                    confirmed_at=earlier,
                    language="fr" if french_every and i % french_every == 0 else "en",
                )
                for i in range(start, min(followers, start + BATCH))
            )
            Follow.objects.bulk_create(
                Follow(
                    subscriber=reader,
                    kind=FollowKind.RECORD,
                    target=f"organization:{pk}",
                    created_at=earlier,
                )
                for reader in readers
                for pk in rng.sample(followed.organizations, FOLLOWS_EACH)
            )
        publish_allocations(records, followed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Rows: {Subscriber.objects.count():,} readers, {Follow.objects.count():,} follows, "
        f"{Allocation.objects.count():,} allocations"
    )
    return followed


def publish_allocations(count: int, followed: Followed) -> None:
    """`count` published allocations recorded now, each to a random organization of
    `followed` in a random programme: news for the readers following that organization."""
    from organizations.funding.models import Allocation

    rng = followed.rng
    Allocation.objects.bulk_create(
        Allocation(
            organization_id=rng.choice(followed.organizations),
            programme_id=rng.choice(followed.programmes),
            fiscal_year=2026,
            amount=rng.randint(1_000, 100_000),
            mode="project",
            origin="new",
            status="published",
        )
        for _ in range(count)
    )
