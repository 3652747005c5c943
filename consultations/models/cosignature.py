"""Co-signatures: an organization's consent to be named beside another's brief or
position.

Naming a co-signer only *asks*: the co-signature is "requested" until one of the named
organization's editors confirms or declines it (`consultations.services.cosigning`). Only
confirmed co-signatures are public — on the pages, in the search documents and facets,
and so in the search API and exports. They live in their own tables, one per kind of
record, rather than in the record's fields: a position page's revisions and previews
never carry them, so publishing a revision cannot name anyone who did not agree.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class CoSignatureState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class CoSignatureQuerySet(models.QuerySet):
    def confirmed(self) -> "CoSignatureQuerySet":
        """The co-signatures the public may read."""
        return self.filter(state=CoSignatureState.CONFIRMED)

    def named(self) -> "CoSignatureQuerySet":
        """What the record's own editors still name: requested or confirmed (a decline
        stays on record, and the organization is not asked again)."""
        return self.exclude(state=CoSignatureState.DECLINED)

    def addressed_to(self, user: AbstractBaseUser | AnonymousUser) -> "CoSignatureQuerySet":
        """The co-signatures asked of the organizations `user` speaks for."""
        from consultations.permissions.cosigning import organizations_answering_for

        return self.filter(organization__in=organizations_answering_for(user).values("pk"))


class CoSignature(models.Model):
    """Shared by the co-signatures of briefs and of positions."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("co-signer"),
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=CoSignatureState.choices,
        default=CoSignatureState.REQUESTED,
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CoSignatureQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=CoSignatureState.values),
                name="%(app_label)s_%(class)s_known_state",
            ),
            # A decision has a date, and a request has none.
            models.CheckConstraint(
                condition=(
                    Q(state=CoSignatureState.REQUESTED, decided_at__isnull=True)
                    | (~Q(state=CoSignatureState.REQUESTED) & Q(decided_at__isnull=False))
                ),
                name="%(app_label)s_%(class)s_decided_when_decided",
            ),
        ]

    @property
    def is_requested(self) -> bool:
        return self.state == CoSignatureState.REQUESTED


class SubmissionCoSignature(CoSignature):
    submission = models.ForeignKey(
        "consultations.Submission",
        verbose_name=_("brief"),
        on_delete=models.CASCADE,
        related_name="co_signatures",
    )

    record_field = "submission"

    class Meta(CoSignature.Meta):
        verbose_name = _("co-signature of a brief")
        verbose_name_plural = _("co-signatures of briefs")
        ordering = ["requested_at", "pk"]
        constraints = [
            *CoSignature.Meta.constraints,
            models.UniqueConstraint(
                fields=["submission", "organization"], name="one_co_signature_per_brief"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.submission}"

    @property
    def record(self):
        return self.submission


class PositionCoSignature(CoSignature):
    """Recorded on the first page of a position's translations and shown on all of them:
    an organization co-signs the position, in whatever language it is read."""

    position = models.ForeignKey(
        "consultations.PositionPage",
        verbose_name=_("position"),
        on_delete=models.CASCADE,
        related_name="co_signatures",
    )

    record_field = "position"

    class Meta(CoSignature.Meta):
        verbose_name = _("co-signature of a position")
        verbose_name_plural = _("co-signatures of positions")
        ordering = ["requested_at", "pk"]
        constraints = [
            *CoSignature.Meta.constraints,
            models.UniqueConstraint(
                fields=["position", "organization"], name="one_co_signature_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.position}"

    @property
    def record(self):
        return self.position
