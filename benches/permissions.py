"""Benchmark: an editor's organizations through the permission filter, on PostgreSQL.

    .venv/bin/python benches/permissions.py                 # 100,000 organizations
    .venv/bin/python benches/permissions.py --scale 0.1     # 10,000 (make bench)
    .venv/bin/python benches/permissions.py --scale 0.02 --explain

Not part of the test suite. It creates a throwaway database on the PostgreSQL server of
`DATABASE_URL` (or on a cluster started with `scripts/postgres`), migrates it and fills
it in bulk: the organizations, one editor for each (users holding one to three
organizations each, as the role service would grant them), and the measured editor, who
holds 20 organizations spread over the whole catalogue (so no early rows of the name
order satisfy the filter). Grants are written into whichever object permission model
guardian uses for organizations. After `VACUUM ANALYZE` it times, interleaved, a page of
20 organizations in name order read three ways: the plain list (`Organization.objects`),
the editor's organizations (`organizations.permissions.organizations_edited_by`), and
the Wagtail admin's listing of organizations for that editor (its permission policy's
queryset, filtered as the snippet index view does). Each reported figure is the median
over `--repeat` runs; the measures are the ratios to the plain list's median, target
≤ 2× (issue #15). The database is dropped at the end unless `--keep`. Results and their
reading: docs/permissions.md, docs/performance.md.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(HERE)]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from report import Measure, apply_scale, arguments, count, report  # noqa: E402

DEFAULTS = {"organizations": 100_000}
EDITED = 20  # the measured editor's organizations
PAGE = 20
BATCH = 5_000
EDITOR = "editor's organizations"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments(__doc__, DEFAULTS)
    parser.add_argument("--repeat", type=count, default=101, help="timed runs (default 101)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS, at_least=EDITED * 5)
    if args.organizations < EDITED * 5:
        parser.error(f"--organizations must be at least {EDITED * 5}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"Scale: {args.organizations:,} organizations, one editor each; the measured "
        f"editor holds {EDITED}; seed {args.seed}"
    )
    # Bulk writes, nothing to index: no Elasticsearch.
    with django_on_engines("perms", args.keep, elasticsearch=False):
        started = time.perf_counter()
        editor = fill(args)
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        measures = measure(args, editor)
    report(measures)
    return 0


def fill(args: argparse.Namespace):
    """The organizations, their editors and the measured editor; returns that editor."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from guardian.utils import get_user_obj_perms_model

    from organizations.models import Organization
    from organizations.permissions import EDIT_ORGANIZATION

    rng = random.Random(args.seed)
    User = get_user_model()
    n = args.organizations
    with transaction.atomic():
        order = list(range(n))
        rng.shuffle(order)  # names in another order than primary keys
        for start in range(0, n, BATCH):
            Organization.objects.bulk_create(
                Organization(
                    name=f"Organisme {order[i]:07d}",
                    slug=f"organisme-{order[i]:07d}",
                    kind="community_group",
                )
                for i in range(start, min(n, start + BATCH))
            )
        organizations = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        measured = set(rng.sample(organizations, EDITED))
        others = [pk for pk in organizations if pk not in measured]
        rng.shuffle(others)
        holdings: list[list[int]] = []
        while others:
            take = rng.randint(1, 3)
            holdings.append(others[:take])
            del others[:take]
        users = User.objects.bulk_create(
            [User(username=f"editor-{i}", password="!") for i in range(len(holdings))],
            batch_size=BATCH,
        )
        editor = User.objects.create(username="measured-editor", password="!")
        holdings.append(sorted(measured))
        users.append(editor)
        grants = make_grants(get_user_obj_perms_model(Organization), EDIT_ORGANIZATION)
        grant_model = get_user_obj_perms_model(Organization)
        grant_model.objects.bulk_create(
            (grants(user, pk) for user, pks in zip(users, holdings, strict=True) for pk in pks),
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Rows: {Organization.objects.count():,} organizations, {len(users):,} editors, "
        f"{grant_model.objects.count():,} grants in {grant_model._meta.db_table}"
    )
    return editor


def make_grants(model, permission_name: str):
    """A function building one grant row of `model`, generic or direct."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from organizations.models import Organization

    app_label, codename = permission_name.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if model.objects.is_generic():
        content_type = ContentType.objects.get_for_model(Organization)
        return lambda user, pk: model(
            user=user, permission=permission, content_type=content_type, object_pk=str(pk)
        )
    return lambda user, pk: model(user=user, permission=permission, content_object_id=pk)


def measure(args: argparse.Namespace, editor) -> list[Measure]:
    from wagtail import hooks
    from wagtail.permissions import policy_registry

    from organizations.models import Organization
    from organizations.permissions import organizations_edited_by

    hooks.search_for_hooks()  # the wagtail_hooks modules register the permission policies
    policy = policy_registry.get_by_type(Organization)

    def plain() -> list:
        return list(Organization.objects.order_by("name")[:PAGE])

    def edited() -> list:
        return list(organizations_edited_by(editor).order_by("name")[:PAGE])

    def admin_listing() -> list:
        allowed = policy.instances_user_has_permission_for(editor, "change")
        return list(
            Organization.objects.filter(pk__in=allowed.values("pk")).order_by("name")[:PAGE]
        )

    readers = {"plain list": plain, EDITOR: edited, "admin listing": admin_listing}
    assert len(edited()) == EDITED and len(admin_listing()) == EDITED, "the editor's 20"
    if args.explain:
        print(organizations_edited_by(editor).order_by("name")[:PAGE].explain(analyze=True))
        allowed = policy.instances_user_has_permission_for(editor, "change")
        listing = Organization.objects.filter(pk__in=allowed.values("pk")).order_by("name")
        print(listing[:PAGE].explain(analyze=True))
    times: dict[str, list[float]] = {name: [] for name in readers}
    for _run in range(args.repeat):
        for name, read in readers.items():
            started = time.perf_counter()
            read()
            times[name].append((time.perf_counter() - started) * 1000)
    p50 = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name}: p50 {p50[name]:.2f} ms, best {min(values):.2f} ms")
    base = p50["plain list"]
    at = f"{args.organizations:,} organizations"
    return [
        Measure(
            bench="permissions",
            name="editor's organizations / plain list p50",
            value=round(p50[EDITOR] / base, 2),
            unit="×",
            at_most=2,
            detail=f"{p50[EDITOR]:.2f} vs {base:.2f} ms p50, {at}",
        ),
        Measure(
            bench="permissions",
            name="admin listing of organizations / plain list p50",
            value=round(p50["admin listing"] / base, 2),
            unit="×",
            at_most=2,
            detail=f"{p50['admin listing']:.2f} vs {base:.2f} ms p50, {at}",
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
