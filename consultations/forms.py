"""The parameters of a policy's version comparison (`compare/?from=N&to=M`) as a form,
read and refused through `concertation.parameters`: two of the policy's public version
numbers, different from each other."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class VersionNumber(forms.Field):
    """A public version of the policy, given by its number (at most four digits)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.versions: dict[int, Any] = {}

    def to_python(self, value: Any) -> Any:
        raw = value or ""
        if not raw.isdigit() or len(raw) > 4:
            raise ValidationError(_("must be a version number."))
        number = int(raw)
        if number not in self.versions:
            raise ValidationError(
                _("this policy has no public version %(number)d.") % {"number": number}
            )
        return self.versions[number]


class VersionComparison(forms.Form):
    """`from` and `to` (added below: `from` is a Python keyword), cleaned into the two
    versions compared."""

    def __init__(self, *args: Any, versions: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.versions = versions

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        before, after = cleaned.get("from"), cleaned.get("to")
        if before is not None and after is not None and before.number == after.number:
            self.add_error("to", _("choose a different version from “from”."))
        return cleaned


VersionComparison.base_fields = {
    "from": VersionNumber(required=False),
    "to": VersionNumber(required=False),
}
