"""Submissions (briefs, mémoires) sent to a consultation round by organizations.

A submission is published only when its round allows it (once the round has closed) and
its submitter agreed: with its name, without it, or not at all. Until then it, and its
attached documents, are visible to its own organization's editors and to the staff of the
round only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from organizations.models import Organization

from .cosignature import CoSignatureState
from .round import ConsultationRoundPage, RoundState

# Rounds whose submissions may be read by the public (if their submitters agreed).
PUBLISHING_STATES = (
    RoundState.CLOSED,
    RoundState.REPORT_PUBLISHED,
    RoundState.RESPONSE_PUBLISHED,
)


class Publication(models.TextChoices):
    NAMED = "named", _("Publish it with our name")
    ANONYMOUS = "anonymous", _("Publish it without our name")
    WITHHELD = "withheld", _("Do not publish it")


# How much each choice makes public; after the deadline a submitter may only go down.
PUBLICITY = {Publication.WITHHELD: 0, Publication.ANONYMOUS: 1, Publication.NAMED: 2}

# Who manages a submission: the editors of the organization that sent it, through the
# django-guardian object permission only (not the model-wide one, not co-signers').
MANAGE_SUBMISSION = "organizations.change_organization"


class SubmissionQuerySet(models.QuerySet):
    def published(self) -> "SubmissionQuerySet":
        """What the public may read: the submitter agreed and the round allows it."""
        return self.exclude(publication=Publication.WITHHELD).filter(
            round__state__in=PUBLISHING_STATES, round__live=True
        )

    def visible_to(self, user) -> "SubmissionQuerySet":
        """Published ones, plus those of the organizations the user edits, plus all of
        the rounds the user manages (`consultations.permissions.stewardship`)."""
        condition = Q(pk__in=self.published().values("pk"))
        if user.is_authenticated:
            from guardian.shortcuts import get_objects_for_user

            from consultations.permissions.stewardship import managed_rounds

            edited = get_objects_for_user(
                user, "organizations.change_organization", accept_global_perms=False
            )
            condition |= Q(organization__in=edited)
            condition |= Q(round__in=managed_rounds(user).values("pk"))
        return self.filter(condition)

    def manageable_by(self, user) -> "SubmissionQuerySet":
        """The submissions `user` may edit or withdraw: those of the organizations the
        user edits. One query, for listing pages."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        from guardian.shortcuts import get_objects_for_user

        edited = get_objects_for_user(user, MANAGE_SUBMISSION, accept_global_perms=False)
        return self.filter(organization__in=edited)


class Submission(ClusterableModel):
    round = models.ForeignKey(
        ConsultationRoundPage,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"))
    sections = models.CharField(
        _("sections answered"),
        max_length=255,
        blank=True,
        help_text=_("Anchors of the sections of the version this brief answers, e.g. 1, 2.3."),
    )
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication.choices, default=Publication.NAMED
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language of the round page the brief was sent from: the language it is "
            "shown and indexed in."
        ),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.publication != Publication.WITHHELD and self.round.state in PUBLISHING_STATES

    def may_be_managed_by(self, user) -> bool:
        """Whether `user` edits the submitting organization (and so may edit or withdraw
        this brief); the editors of co-signers may not."""
        return (
            user.is_authenticated
            and user.is_active
            and user.has_perm(MANAGE_SUBMISSION, self.organization)
        )

    def public_author(self) -> str:
        return self.organization.name if self.publication == Publication.NAMED else ""

    def confirmed_co_signers(self) -> list[Organization]:
        """The co-signers who agreed to be named (`consultations.services.cosigning`): the only
        ones anything public shows. Reads `co_signatures` (prefetch it, with their
        organizations, for a listing)."""
        return [
            co_signature.organization
            for co_signature in self.co_signatures.all()
            if co_signature.state == CoSignatureState.CONFIRMED
        ]

    def public_files(self) -> list:
        """The Wagtail documents the public may download: the ready public copies of the
        attached files, in their order (`consultations.public_copies`), never the
        originals. Reads `documents__public_copy__document` (prefetch it for a listing)."""
        files = []
        for attached in sorted(self.documents.all(), key=lambda attached: attached.pk):
            # No copy yet raises RelatedObjectDoesNotExist, an AttributeError.
            copy = getattr(attached, "public_copy", None)
            if copy is not None and copy.is_ready:
                files.append(copy.document)
        return files

    def redacted_summary(self) -> str:
        """The summary with every redacted passage replaced by a notice and its reason."""
        text = self.summary
        for redaction in self.redactions.all():
            text = text.replace(
                redaction.passage, str(_("[redacted: %(reason)s]") % {"reason": redaction.reason})
            )
        return text


class SubmissionDocument(models.Model):
    submission = ParentalKey(Submission, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attached document")
        verbose_name_plural = _("attached documents")

    def __str__(self) -> str:
        return str(self.document)


class Redaction(models.Model):
    """A passage of a submission the staff hide from the public, with the stated reason."""

    submission = ParentalKey(Submission, on_delete=models.CASCADE, related_name="redactions")
    passage = models.TextField(_("passage"))
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")

    def __str__(self) -> str:
        return self.reason
