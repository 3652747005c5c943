"""The admin forms of fora, seats and meetings: each offers only what the user manages.

A forum's convenor is one of the organizations the user edits (a forum they create is
theirs to manage), unless they manage every forum; a seat or a meeting is added to one
of the fora the user manages, and stays in it (attendance and holders were recorded
against that forum).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from organizations.models import Organization

from .models import Forum
from .permissions import managed_fora, possible_convenors


class ForumAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        convenors = (
            possible_convenors(self.for_user)
            if self.for_user is not None
            else Organization.objects.none()
        )
        self.fields["convenor"].queryset = convenors.order_by("name")


class ForumOwnedAdminForm(WagtailAdminModelForm):
    """A seat or a meeting: its forum is one the user manages, chosen when it is added."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["forum"]
        field.queryset = (
            managed_fora(self.for_user) if self.for_user is not None else Forum.objects.none()
        ).order_by("name")
        if self.instance.pk:
            field.disabled = True
            field.help_text = _("A seat or a meeting stays in the forum it was added to.")
