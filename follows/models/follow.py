"""What a reader follows: a record, a whole listing, or a saved search.

Each follow has a `target`, a short key shared with `Happening` targets so that finding
the followers of a happening is one indexed join:

- a record: `<record kind>:<pk>`, the kinds of `follows.targets.RECORD_KINDS`
  (`policy:12`, `round:40`, `organization:7`, `forum:3`, `programme:2`);
- a listing: `listing:<name>` (`listing:open_rounds`, `listing:new_positions`);
- a saved search: `search:<sha256 of the canonical query string>`, the archive query's
  parameters in a fixed order without paging (`follows.targets.saved_search_target`);
  the query string itself is in `query`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .subscriber import Subscriber

TARGET_LENGTH = 120


class FollowKind(models.TextChoices):
    RECORD = "record", _("A record")
    LISTING = "listing", _("A listing")
    SEARCH = "search", _("A saved search")


class Listing(models.TextChoices):
    OPEN_ROUNDS = "open_rounds", _("Rounds opening")
    NEW_POSITIONS = "new_positions", _("New positions")


class Follow(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FollowKind.choices)
    target = models.CharField(_("what is followed"), max_length=TARGET_LENGTH)
    # Saved searches: the canonical query string (`q=housing&sector=x`).
    query = models.TextField(_("search"), blank=True)
    # What the reader sees of it ("Policy: Community housing"), kept from the moment it
    # was followed in the reader's language.
    label = models.CharField(_("label"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)
    # Saved searches: the records dated before this were already looked at.
    checked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "target"], name="follows_follow_once"),
        ]
        indexes = [models.Index(fields=["target"], name="follows_follow_target")]

    def __str__(self) -> str:
        return self.label or self.target
