"""Admin form pieces for autonomy assessments: added, never rewritten.

An assessment is a dated record of who judged what on which evidence; a correction is a
new assessment, so the history of how an organization's recognition evolved stays
visible. The inline therefore accepts new rows and refuses changes to, or removal of,
recorded ones; the assessor is whoever records the assessment.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel

from .models import CooperativeType


class AssessmentForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and (self.has_changed() or cleaned_data.get("DELETE")):
            raise ValidationError(
                _(
                    "A recorded assessment cannot be changed or removed; "
                    "record a new assessment instead."
                )
            )
        return cleaned_data


class AssessmentInlinePanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = AssessmentForm
        return options


def set_assessor_on_new_assessments(form: Form, user: AbstractBaseUser) -> None:
    """Record the signed-in user as the assessor of the assessments being added."""
    formset = getattr(form, "formsets", {}).get("autonomy_assessments")
    if formset is None:
        return
    for child in formset.forms:
        if child.instance.pk is None and child.has_changed():
            child.instance.assessor = user


class OrganizationAdminForm(WagtailAdminModelForm):
    """Rules between an organization and its inline rows, which the rows cannot check
    themselves: in an inline form the row does not know its organization yet."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not hasattr(self, "cleaned_data"):
            return valid
        return self._check_memberships() and self._check_member_categories() and valid

    def _kept_rows(self, relation: str) -> list:
        formset = self.formsets.get(relation)
        if formset is None:
            return []
        return [
            child
            for child in formset.forms
            if getattr(child, "cleaned_data", None) and not child.cleaned_data.get("DELETE")
        ]

    def _check_memberships(self) -> bool:
        valid = True
        for child in self._kept_rows("memberships"):
            coalition = child.cleaned_data.get("coalition")
            if coalition is not None and self.instance.pk and coalition.pk == self.instance.pk:
                child.add_error("coalition", _("An organization cannot be a member of itself."))
                valid = False
        return valid

    def _check_member_categories(self) -> bool:
        if self.cleaned_data.get("cooperative_type") == CooperativeType.SOLIDARITY:
            return True
        rows = self._kept_rows("member_categories")
        for child in rows:
            child.add_error(
                None,
                _("Member categories are for solidarity (multi-stakeholder) co-operatives."),
            )
        return not rows
