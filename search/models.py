"""What the search app keeps in the database: index updates that failed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexFailure(models.Model):
    """A record whose search document could not be written or deleted (Elasticsearch was
    down or refused it). One row per record, however often it failed: the automatic
    retries, `manage.py search_index retry`, the admin's "retry now" and a reconcile
    repair all clear it once the document is in line with the database again."""

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
