"""factory_boy factories for test data."""

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from organizations.models import Organization, OrganizationKind, Region, Sector


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


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    name_fr = factory.Sequence(lambda n: f"Secteur {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Community organization {n}")
    slug = factory.LazyAttribute(lambda organization: slugify(organization.name))
    kind = OrganizationKind.AUTONOMOUS_COMMUNITY
    sector = factory.SubFactory(SectorFactory)
    region = factory.SubFactory(RegionFactory)
    summary_en = ""
    summary_fr = ""


def publish_policy_version(
    home_page,
    title: str,
    section_text: str,
    *,
    release_date=None,
    publish: bool = True,
):
    """A policy version page under a policy under the policy index, published by default
    (so the page_published signal fires, as it does in the admin)."""
    from consultations.models import PolicyIndexPage, PolicyPage, PolicyVersionPage

    index = PolicyIndexPage.objects.child_of(home_page).first()
    if index is None:
        index = home_page.add_child(instance=PolicyIndexPage(title="Policies", slug="policies"))
    policy = PolicyPage.objects.child_of(index).first()
    if policy is None:
        policy = index.add_child(instance=PolicyPage(title="Community action policy"))
    version = policy.add_child(
        instance=PolicyVersionPage(
            title=title,
            release_date=release_date,
            live=False,
            body=[
                (
                    "section",
                    {"anchor": "1", "heading": "Scope", "text": f"<p>{section_text}</p>"},
                )
            ],
        )
    )
    revision = version.save_revision()
    if publish:
        revision.publish()
        version.refresh_from_db()
    return version
