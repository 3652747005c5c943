"""Admin forms for policy and position pages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class PolicyVersionForm(WagtailAdminPageForm):
    """Checks a new version's number against its policy's other versions: the model's
    own check needs the page to be in the tree already."""

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("number")
        if self.instance.pk is None and number is not None and self.parent_page is not None:
            self.instance.number = number
            self.instance.locale_id = self.instance.locale_id or self.parent_page.locale_id
            if self.instance.number_taken(self.parent_page):
                self.add_error("number", _("This policy already has a version with this number."))
        return cleaned_data


class PositionForm(WagtailAdminPageForm):
    """Whose voice a position is in, and what it answers.

    An organization's editors may choose only the organizations they edit (moderators,
    superusers and holders of the model permission any); the policy must be published
    and the version public — never an internal one. The model's `clean()` still refuses
    a version of another policy than the one chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from consultations.models import PolicyPage, PolicyVersionPage
        from consultations.positions import organizations_for

        page = self.instance if self.instance.pk else self.parent_page
        if "organization" in self.fields:
            field = self.fields["organization"]
            field.queryset = organizations_for(self.for_user, page).order_by("name")
            field.error_messages["invalid_choice"] = _(
                "You may state a position only for an organization you edit."
            )
        # The current choice stays valid, so a page saved before a change of status
        # can still be edited.
        if "policy" in self.fields:
            self.fields["policy"].queryset = PolicyPage.objects.filter(
                Q(pk__in=PolicyPage.objects.live().values("pk")) | Q(pk=self.instance.policy_id)
            )
        if "version" in self.fields:
            self.fields["version"].queryset = PolicyVersionPage.objects.filter(
                Q(pk__in=PolicyVersionPage.objects.publicly_visible().values("pk"))
                | Q(pk=self.instance.version_id)
            )
