from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    """Following records, listings and saved searches, and being told of what happens to
    them: e-mail (as it happens or in digests), Atom feeds and round invitations
    (docs/follow.md, decision 021)."""

    name = "follows"
    verbose_name = _("Follows and notifications")

    def ready(self) -> None:
        # The e-mails' renderers (follows.mail.renderer), registered on import.
        from . import invitation_mail, sending, subscription_mail  # noqa: F401
