"""Test data: the factories, shared with `manage.py generate_demo` (they live in
`concertation.factories`), and a helper that publishes policy versions the way the
admin does."""

import datetime

from concertation.factories import (
    ConstituencyFactory,
    FieldOfActivityFactory,
    ForumFactory,
    OrganizationFactory,
    ProgrammeFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
)

__all__ = [
    "ConstituencyFactory",
    "FieldOfActivityFactory",
    "ForumFactory",
    "OrganizationFactory",
    "ProgrammeFactory",
    "RegionFactory",
    "SectorFactory",
    "UserFactory",
    "publish_policy_version",
]


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
