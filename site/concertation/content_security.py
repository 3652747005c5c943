"""The Content-Security-Policy of every response: strict on the public site, relaxed for
the Wagtail admin.

The public templates load their stylesheet from our own origin and run no script, so
their policy allows our origin only, with no inline script or style: a passage of a
brief that smuggled markup into a page could run nothing. The Wagtail admin writes inline
scripts and styles of its own (widgets' set-up, `style` attributes), so paths under
`/admin/` get `CONTENT_SECURITY_POLICY_ADMIN` instead — still our origin only, framed by
ourselves only, posting forms to ourselves only. django-csp 4 chooses a policy per view
through decorators; a per-path choice is its documented extension point, a middleware
overriding `get_policy_parts`.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy on the admin's paths."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
        if (
            not report_only
            and admin_policy
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIX)
        ):
            parts.config = default_config(admin_policy["DIRECTIVES"])
        return parts
