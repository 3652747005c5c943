"""The public copy of a file attached to a brief: what the public may download.

An attached file is the organization's original, read only by its editors and the
round's stewards. The public sees, and the search indexes, its public copy: the redacted
passages removed from the content, the metadata stripped, a neutral name for an anonymous
brief (`consultations.public_copies`). When the removal cannot be verified, the copy
waits, with the reason, until staff upload a redacted copy themselves.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CopyState(models.TextChoices):
    READY = "ready", _("Ready: the public copy is published with the brief")
    WAITING = "waiting", _("Waiting: staff must upload a redacted copy")
    # The brief changed (a redaction, its publication): withheld until built again.
    PENDING = "pending", _("Being prepared again after a change")


class PublicCopyQuerySet(models.QuerySet):
    def ready(self) -> "PublicCopyQuerySet":
        return self.filter(state=CopyState.READY, document__isnull=False)

    def waiting(self) -> "PublicCopyQuerySet":
        """The copies not public, for staff to look at: waiting or being rebuilt."""
        return self.exclude(state=CopyState.READY)


class PublicCopy(models.Model):
    attachment = models.OneToOneField(
        "consultations.SubmissionDocument",
        on_delete=models.CASCADE,
        related_name="public_copy",
        verbose_name=_("attached file"),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("public copy"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CopyState.choices, default=CopyState.WAITING
    )
    reason = models.TextField(_("why it waits"), blank=True)
    supplied_by_staff = models.BooleanField(_("uploaded by staff"), default=False)
    # What the copy was built from (the original's bytes, the redactions, the name it
    # carries): a rebuild with the same inputs has nothing to do.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublicCopyQuerySet.as_manager()

    class Meta:
        verbose_name = _("public copy")
        verbose_name_plural = _("public copies")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="ready") | models.Q(document__isnull=False),
                name="public_copy_ready_has_a_document",
            )
        ]

    def __str__(self) -> str:
        return str(self.document or self.attachment)

    @property
    def is_ready(self) -> bool:
        return self.state == CopyState.READY and self.document_id is not None
