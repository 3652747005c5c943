"""Consultations' permission rules, one module per concept, and its roles.

A package rather than one `permissions.py`: the rules of stewards, of positions (who
writes them, and who sees them in the admin), of co-signatures and of file downloads
are about 500 lines together, and each is read on its own — by the admin glue
(`admin_permissions`, `page_policy`, `position_admin`, `wagtail_hooks`), the search
readers and the documents view.

- `stewardship`: who manages which policy and round; grant and revoke a steward.
- `positions`: who writes positions, and in which organization's voice.
- `position_visibility`: which positions the admin shows a user.
- `cosigning`: who answers a co-signature request.
- `documents`: who may download a stored file.
"""

from django.utils.translation import gettext_lazy as _

from concertation.roles import Role

from ..models import ConsultationRoundPage, PolicyPage
from .stewardship import grant_steward, revoke_steward, stewards_given

ROLES = (
    Role(
        name="policy-steward",
        description=_(
            "edits the policy's versions and rounds, changes its rounds' state, reads and "
            "redacts every brief sent to them and writes the response points"
        ),
        model=PolicyPage,
        lookup="slug",
        grant=grant_steward,
        revoke=revoke_steward,
        holders=stewards_given,
    ),
    Role(
        name="round-steward",
        description=_(
            "the same as a policy steward, for one consultation round of the policy only"
        ),
        model=ConsultationRoundPage,
        lookup="slug",
        grant=grant_steward,
        revoke=revoke_steward,
        holders=stewards_given,
    ),
)
