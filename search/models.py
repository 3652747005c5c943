"""What the search app keeps in the database: changes not yet in the index (the
outbox), and index updates that failed (for staff)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingChange(models.Model):
    """A record whose change the archive index may not hold yet (the outbox).

    Written in the same transaction as the change itself (`search.tasks.enqueue_sync`),
    so a committed change always leaves one, and deleted only once Elasticsearch has
    acknowledged the record's documents (`search.drain`). Several rows may name the same
    record (one per transaction that changed it); the drain syncs them together. A drain
    claims a row for a while (`claim`, `next_attempt_at` its lease's end): the claim of
    a worker that died ends by itself. See docs/decisions/005-an-outbox-for-the-index.md.
    """

    kind = models.CharField(_("kind"), max_length=50)
    object_id = models.CharField(_("record"), max_length=64)
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claim = models.UUIDField(_("claimed by"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending index change")
        verbose_name_plural = _("pending index changes")
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], name="search_pending_due"),
            models.Index(fields=["kind", "object_id"], name="search_pending_record"),
            models.Index(fields=["created_at"], name="search_pending_age"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class IndexFailure(models.Model):
    """A record whose search document could not be written or deleted (Elasticsearch was
    down or refused it). One row per record, however often it failed, for staff: the
    change itself stays in the outbox (`PendingChange`) until it reaches the index. Any
    later success for the record (the drain, `manage.py search_index retry`, the admin's
    "retry now", a reconcile repair) clears it."""

    kind = models.CharField(_("kind"), max_length=50)
    object_id = models.CharField(_("record"), max_length=64)
    error = models.TextField(_("last error"))
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    first_failed_at = models.DateTimeField(_("first failed at"))
    last_failed_at = models.DateTimeField(_("last failed at"))

    class Meta:
        verbose_name = _("search index failure")
        verbose_name_plural = _("search index failures")
        ordering = ["-last_failed_at", "kind", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_indexfailure_one_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
