"""factory_boy factories for test data."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from organizations.models import (
    Constituency,
    FieldOfActivity,
    Organization,
    OrganizationKind,
    Region,
    RegionKind,
    Sector,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    name_fr = factory.Sequence(lambda n: f"Région {n}")
    kind = RegionKind.ADMINISTRATIVE_REGION


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    name_fr = factory.Sequence(lambda n: f"Secteur {n}")


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"constituency-{n}")
    name_en = factory.Sequence(lambda n: f"Constituency {n}")
    name_fr = factory.Sequence(lambda n: f"Clientèle {n}")


class FieldOfActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfActivity
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")
    name_fr = factory.Sequence(lambda n: f"Champ {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An autonomous community organization with a head-office region and one sector.

    Pass `sectors=[...]`, `regions_served=[...]`, `constituencies=[...]` to choose them."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community organization {n}")
    slug = factory.LazyAttribute(lambda organization: slugify(organization.name))
    kind = OrganizationKind.AUTONOMOUS_COMMUNITY
    cooperative_type = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == OrganizationKind.COOPERATIVE),
        yes_declaration="consumer",
        no_declaration="",
    )
    region = factory.SubFactory(RegionFactory)
    summary_en = ""
    summary_fr = ""

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create:
            self.sectors.set(extracted if extracted is not None else [SectorFactory()])

    @factory.post_generation
    def regions_served(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions_served.set(extracted)

    @factory.post_generation
    def constituencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.constituencies.set(extracted)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A funding programme over fiscal years 2000–2005 (no budgets)."""

    class Meta:
        model = "funding.Programme"

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.LazyAttribute(lambda programme: slugify(programme.name))
    funder = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.GOVERNMENT)
    mode = "global_mission"
    first_fiscal_year = 2000
    last_fiscal_year = 2005


class ForumFactory(factory.django.DjangoModelFactory):
    """A regional government table, active since 2000."""

    class Meta:
        model = "fora.Forum"

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.LazyAttribute(lambda forum: slugify(forum.name))
    convenor = factory.SubFactory(OrganizationFactory)
    level = "regional"
    kind = "government_table"
    active_from = datetime.date(2000, 1, 1)


def publish_policy_version(
    home_page,
    title: str,
    section_text: str,
    *,
    release_date=None,
    publish: bool = True,
    status: str = "released",
    number: int | None = None,
    sections: list[tuple[str, str, str]] | None = None,
    summary_of_changes: str = "",
):
    """A policy version page under a policy under the policy index, published by default
    (so the page_published signal fires, as it does in the admin).

    `sections` is a list of (anchor, heading, text); by default one section "1" holding
    `section_text`. Versions are numbered in creation order unless `number` is given.
    """

    from consultations.models import PolicyIndexPage, PolicyPage, PolicyVersionPage

    index = PolicyIndexPage.objects.child_of(home_page).first()
    if index is None:
        index = home_page.add_child(instance=PolicyIndexPage(title="Policies", slug="policies"))
    policy = PolicyPage.objects.child_of(index).first()
    if policy is None:
        policy = index.add_child(instance=PolicyPage(title="Community action policy"))
    if number is None:
        number = PolicyVersionPage.objects.child_of(policy).count() + 1
    if release_date is None and status != "internal":
        release_date = datetime.date(2000, 1, 1)
    sections = sections or [("1", "Scope", section_text)]
    version = policy.add_child(
        instance=PolicyVersionPage(
            title=title,
            number=number,
            status=status,
            release_date=release_date,
            summary_of_changes=summary_of_changes,
            live=False,
            body=[
                ("section", {"anchor": anchor, "heading": heading, "text": f"<p>{text}</p>"})
                for anchor, heading, text in sections
            ],
        )
    )
    revision = version.save_revision()
    if publish:
        revision.publish()
        version.refresh_from_db()
    return version
