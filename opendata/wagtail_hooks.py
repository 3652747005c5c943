"""The admin's "API tokens" screen ("Settings" › "API tokens"): Wagtail's own
(`wagtail.users.views.api_tokens.APITokenViewSet`), which Wagtail registers only beside
its ninja API (`wagtail.api.v3`, not installed here); the tokens read `/api/v1/`
(`opendata.tokens`).

Who may (Wagtail's rule, `wagtail.users.utils.user_can_manage_token`): superusers, and
staff holding `wagtailcore.add_apitoken` (create) and `wagtailcore.delete_apitoken`
(revoke) — for another user's token also the user model's `change` permission, and never
for a superuser unless a superuser themselves. Organization editors and researchers hold
none of them: the menu is not shown and the screens refuse them. The secret is shown once,
on creation; each creation and revocation is in the admin's log with who did it.
"""

from django.apps import apps
from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_api_tokens() -> list:
    if apps.is_installed("wagtail.api.v3"):
        return []  # Wagtail registers the same screen itself.
    from wagtail.users.views.api_tokens import APITokenViewSet

    return [APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")]
