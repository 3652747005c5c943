"""Admin forms for policy pages."""

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
