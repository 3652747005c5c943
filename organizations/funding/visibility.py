"""Who sees which allocations, and which of their details, on the public funding pages.

`visible_allocations` decides which allocations a visitor sees at all: the
published ones for everyone, an organization's approved ones for its editors, every
allocation of a programme (drafts included) for its finance staff. On top of that:

- Figures (totals, funding per person served, the explorer, new and moved money) count
  only committed money — approved or published — among what the visitor sees. A draft
  is not money yet: it is listed, marked, to the finance staff who may see it, but
  never added into a figure, so no aggregate anyone reads includes a draft.
- Notes and dates are "detailed records": shown for an allocation only to the editors
  of its organization and to the finance staff of its programme.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from organizations.permissions import organizations_edited_by

from .models import Allocation, AllocationQuerySet
from .permissions import programmes_managed_by

User = AbstractBaseUser | AnonymousUser


def visible_allocations(user: User) -> AllocationQuerySet:
    """Every allocation `user` may see, drafts of their programmes included."""
    return Allocation.objects.visible_through(
        organizations_edited_by(user), programmes_managed_by(user)
    )


def counted_allocations(user: User) -> AllocationQuerySet:
    """The allocations whose money the figures shown to `user` add up: visible and
    committed, never a draft."""
    return visible_allocations(user).committed()


@dataclass(frozen=True)
class DetailedRecords:
    """The organizations and programmes whose allocations' notes and dates a visitor
    may read. Two queries for someone logged in, none for the public."""

    organization_ids: frozenset[int] = frozenset()
    programme_ids: frozenset[int] = frozenset()

    @classmethod
    def for_user(cls, user: User) -> "DetailedRecords":
        if not user.is_authenticated or not user.is_active:
            return cls()
        return cls(
            organization_ids=frozenset(organizations_edited_by(user).values_list("pk", flat=True)),
            programme_ids=frozenset(programmes_managed_by(user).values_list("pk", flat=True)),
        )

    def cover(self, allocation: Allocation) -> bool:
        return (
            allocation.organization_id in self.organization_ids
            or allocation.programme_id in self.programme_ids
        )

    def edits(self, organization_id: int) -> bool:
        return organization_id in self.organization_ids
