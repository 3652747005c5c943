"""The admin forms of funding: each offers only what the user may write, and saves
through the rule that guards the money.

- An allocation is saved by `organizations.funding.services.record_allocation`, never by the
  form: the service locks the programme-year's budget, so the checks (a positive
  amount, a fiscal year the programme runs and budgets, committed money within the
  budget) hold even when two people approve at once. The form therefore leaves the
  model's checks to the service, and a refusal comes back naming the field.
- A budget is saved with its row locked, and is never set below the money already
  committed against it; its programme and year stay what they were (allocations were
  checked against them).
- A service load is reported for one of the organizations the user edits (any, for
  staff with the model permissions), once per fiscal year.
"""

import datetime

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from concertation.formats import money
from organizations.models import Organization
from organizations.permissions import organizations_edited_by

from .models import Allocation, Programme, ProgrammeBudget, ServiceLoad, fiscal_year_label
from .permissions import programmes_managed_by
from .services import committed_in, record_allocation

User = AbstractBaseUser | AnonymousUser

# Staff who hold either model permission report for every organization.
REPORT_EVERY_LOAD = ("funding.add_serviceload", "funding.change_serviceload")
ONE_LOAD_PER_YEAR = "one_service_load_per_year"
BUDGET_NOT_NEGATIVE = "budget_not_negative"


def constraint_message(model: type, name: str) -> str:
    """The message a model's constraint gives, so the form says what the database would."""
    (constraint,) = (c for c in model._meta.constraints if c.name == name)
    return constraint.violation_error_message


def show_refusal(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _keep_on_edit(form: forms.ModelForm, name: str, help_text: str) -> None:
    if form.instance.pk:
        form.fields[name].disabled = True
        form.fields[name].help_text = help_text


class ProgrammeAdminForm(WagtailAdminModelForm):
    """A programme's run cannot be narrowed past a year that has a budget or an
    allocation: they would be left outside the programme."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        first = cleaned.get("first_fiscal_year")
        last = cleaned.get("last_fiscal_year")
        years = set(
            ProgrammeBudget.objects.filter(programme=self.instance).values_list(
                "fiscal_year", flat=True
            )
        ) | set(
            Allocation.objects.filter(programme=self.instance).values_list("fiscal_year", flat=True)
        )
        if first is not None and years and min(years) < first:
            self.add_error(
                "first_fiscal_year",
                _("The programme has a budget or allocations in %(year)s.")
                % {"year": fiscal_year_label(min(years))},
            )
        if last is not None and years and max(years) > last:
            self.add_error(
                "last_fiscal_year",
                _("The programme has a budget or allocations in %(year)s.")
                % {"year": fiscal_year_label(max(years))},
            )
        return cleaned


class ProgrammeBudgetAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("name")
        kept = _("Allocations were checked against this programme-year; add another budget.")
        _keep_on_edit(self, "programme", kept)
        _keep_on_edit(self, "fiscal_year", kept)

    def clean(self) -> dict:
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is not None and amount < 0:
            self.add_error("amount", constraint_message(ProgrammeBudget, BUDGET_NOT_NEGATIVE))
        programme = cleaned.get("programme")
        fiscal_year = cleaned.get("fiscal_year")
        if programme is not None and fiscal_year is not None and not programme.runs_in(fiscal_year):
            self.add_error(
                "fiscal_year",
                _("%(programme)s does not run in %(year)s.")
                % {"programme": programme, "year": fiscal_year_label(fiscal_year)},
            )
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True) -> ProgrammeBudget:
        """Lock the budget row (approvals lock it too), then refuse an amount below what
        is already committed against it."""
        budget = self.instance
        if budget.pk:
            ProgrammeBudget.objects.select_for_update().filter(pk=budget.pk).first()
        committed = committed_in(budget.programme, budget.fiscal_year)
        if budget.amount < committed:
            raise ValidationError(
                {
                    "amount": _(
                        "%(committed)s are already approved or published in this "
                        "programme-year; the budget cannot be less."
                    )
                    % {"committed": money(committed)}
                }
            )
        return super().save(commit)


class AllocationAdminForm(WagtailAdminModelForm):
    """The programme is one the user manages. Saving calls `record_allocation` (which
    also refuses a programme the user does not manage)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = (
            programmes_managed_by(self.for_user)
            if self.for_user is not None
            else Programme.objects.none()
        ).order_by("name")
        self.fields["reallocated_from_programme"].queryset = Programme.objects.order_by("name")
        mode = self.fields["mode"]
        mode.required = False
        mode.help_text = _("Leave empty for the programme's own mode.")

    def _post_clean(self) -> None:
        """Leave the instance untouched: `record_allocation` sets its fields and runs
        the model's checks, with the budget locked and each refusal naming its field.
        (The model's constraints, run here, would only say "not valid" above the form.)
        """

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on: datetime.date | None = cleaned.get("starts_on")
        ends_on: datetime.date | None = cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("An allocation cannot end before it starts."))
        return cleaned

    def save(self, commit: bool = True) -> Allocation:
        """Record the allocation through the service (always saved: the budget's lock
        is held only while it is written)."""
        data = self.cleaned_data
        self.instance = record_allocation(
            self.for_user,
            allocation=self.instance if self.instance.pk else None,
            organization=data["organization"],
            programme=data["programme"],
            fiscal_year=data["fiscal_year"],
            amount=data["amount"],
            origin=data["origin"],
            mode=data.get("mode") or "",
            reallocated_from_programme=data.get("reallocated_from_programme"),
            reallocated_from_sector=data.get("reallocated_from_sector"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            status=data["status"],
            notes=data.get("notes", ""),
        )
        return self.instance


def reports_every_load(user: User) -> bool:
    return user.is_active and any(user.has_perm(permission) for permission in REPORT_EVERY_LOAD)


def organizations_reporting_for(user: User) -> QuerySet[Organization]:
    """The organizations whose service load `user` records."""
    if reports_every_load(user):
        return Organization.objects.all()
    return organizations_edited_by(user)


class ServiceLoadAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        if self.for_user is None:
            field.queryset = Organization.objects.none()
        else:
            field.queryset = organizations_reporting_for(self.for_user).order_by("name")
            if not reports_every_load(self.for_user):
                # An editor chooses among their own few organizations, not the catalogue.
                field.widget = forms.Select(choices=field.choices)
        _keep_on_edit(
            self, "organization", _("A service load stays with the organization that reported it.")
        )

    def clean(self) -> dict:
        """A year already reported is named on the fiscal year, with the message of the
        database's constraint."""
        cleaned = super().clean()
        organization = cleaned.get("organization")
        fiscal_year = cleaned.get("fiscal_year")
        if (
            organization is not None
            and fiscal_year is not None
            and ServiceLoad.objects.filter(organization=organization, fiscal_year=fiscal_year)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("fiscal_year", constraint_message(ServiceLoad, ONE_LOAD_PER_YEAR))
        return cleaned

    def save(self, commit: bool = True) -> ServiceLoad:
        """Two reports of the same year sent at once pass the form's check; the
        database's constraint refuses the second, with the same message."""
        try:
            with transaction.atomic():
                return super().save(commit)
        except IntegrityError as error:
            raise ValidationError(
                {"fiscal_year": constraint_message(ServiceLoad, ONE_LOAD_PER_YEAR)}
            ) from error
