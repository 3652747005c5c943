"""Widgets shared by the public forms and the admin's.

`FilteredCheckboxes` replaces a long multiple select (65 organizations to ctrl-click
through) with checkboxes: they work without JavaScript, each one a labelled control a
screen reader announces; a small script (`concertation/js/checkbox-filter.js`) adds a
text input above them that hides the options whose label does not contain what is
typed (accents and case ignored), keeps the chosen ones in view and says how many
options are shown.
"""

from django import forms
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _


class FilteredCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling box, with a type-ahead filter once the script runs."""

    template_name = "concertation/widgets/filtered_checkboxes.html"
    filter_label = _("Type part of a name to narrow the list")

    def __init__(self, attrs: dict | None = None, filter_label: str | None = None) -> None:
        super().__init__(attrs)
        if filter_label is not None:
            self.filter_label = filter_label

    def get_context(self, name: str, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["filter_label"] = self.filter_label
        return context

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={"all": [static("concertation/css/forms.css")]},
            js=[forms.Script(static("concertation/js/checkbox-filter.js"), defer=True)],
        )
