"""Who saw which version before it was public, and when.

"Even the advisory committee created in 1995 had not seen a version of the policy until
its public announcement": whether the sector was consulted before a text was fixed is
one of the lessons the record must make visible.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from .version import PolicyVersionPage


class VersionAccess(models.Model):
    version = ParentalKey(
        PolicyVersionPage,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="accesses",
    )
    recipient = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="version_accesses",
    )
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["received_on"]
        verbose_name = _("pre-publication access")
        verbose_name_plural = _("pre-publication accesses")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "recipient", "received_on"],
                name="version_access_recorded_once",
                violation_error_message=_("This access is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} ← {self.version} ({self.received_on})"

    @property
    def days_before_release(self) -> int | None:
        """How many days before the public release the recipient had the text; None
        when the version has no release date or the access came after it."""
        release = self.version.release_date
        if release is None or self.received_on >= release:
            return None
        return (release - self.received_on).days
