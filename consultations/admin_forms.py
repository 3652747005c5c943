"""Admin forms for policy and position pages."""

from django import forms
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


def co_signers_field() -> forms.ModelMultipleChoiceField:
    """The organizations a position's editors ask to co-sign it
    (`consultations.services.cosigning`).

    Not a field of the page, so never in its revisions: the co-signatures live in their
    own table, and a published revision or a preview shows only confirmed ones."""
    from concertation.form_widgets import FilteredCheckboxes
    from organizations.models import Organization

    return forms.ModelMultipleChoiceField(
        queryset=Organization.objects.order_by("name"),
        label=_("Co-signed by"),
        required=False,
        # Checkboxes a type-ahead narrows, not a 65-line ctrl-click list.
        widget=FilteredCheckboxes(),
        help_text=_(
            "Each organization named is asked to confirm; it is shown with the position "
            "only once one of its editors has."
        ),
    )


class PositionForm(WagtailAdminPageForm):
    """Whose voice a position is in, and what it answers.

    An organization's editors may choose only the organizations they edit (moderators,
    superusers and holders of the model permission any); the policy must be published
    and the version public — never an internal one. The model's `clean()` still refuses
    a version of another policy than the one chosen. The co-signers named are asked to
    confirm once the page is saved (the `after_create_page`/`after_edit_page` hooks in
    `consultations.cosigning_admin`); one that declined cannot be named again."""

    co_signers = co_signers_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from consultations.models import PolicyPage, PolicyVersionPage
        from consultations.permissions.positions import organizations_for

        self.co_signatures = (
            self.instance.translation_original().co_signatures.select_related("organization")
            if self.instance.pk
            else None
        )
        if self.co_signatures is not None and "co_signers" in self.fields:
            self.fields["co_signers"].initial = [
                co_signature.organization_id for co_signature in self.co_signatures.named()
            ]
            self.fields["co_signers"].help_text = self._co_signature_states()

        page = self.instance if self.instance.pk else self.parent_page
        if "organization" in self.fields:
            field = self.fields["organization"]
            field.queryset = organizations_for(self.for_user, page).order_by("name")
            field.error_messages["invalid_choice"] = _(
                "You may state a position only for an organization you edit."
            )
            self._offer_own_organizations_first(field)
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

    def _offer_own_organizations_first(self, field: forms.ModelChoiceField) -> None:
        """A plain select in place of Wagtail's snippet chooser (which pages through every
        organization): the user's own organizations first, the others after for those who
        act for every one; the only one chosen already for an editor of one."""
        from organizations.permissions import organizations_edited_by

        own_ids = set(organizations_edited_by(self.for_user).values_list("pk", flat=True))
        allowed = list(field.queryset)
        own = [organization for organization in allowed if organization.pk in own_ids]
        others = [organization for organization in allowed if organization.pk not in own_ids]
        choices: list = [] if len(allowed) == 1 else [("", _("Choose the organization"))]
        if own and others:
            choices += [
                (_("Your organizations"), [(o.pk, o.name) for o in own]),
                (_("Other organizations"), [(o.pk, o.name) for o in others]),
            ]
        else:
            choices += [(o.pk, o.name) for o in own or others]
        field.widget = forms.Select(choices=choices)
        if self.instance.pk is None and len(allowed) == 1:
            self.initial["organization"] = self.initial.get("organization") or allowed[0].pk

    def _co_signature_states(self) -> str:
        """The help text with where each request stands."""
        states = ", ".join(
            f"{co_signature.organization.name} ({co_signature.get_state_display()})"
            for co_signature in self.co_signatures
        )
        help_text = str(self.fields["co_signers"].help_text)
        if not states:
            return help_text
        return f"{help_text} " + _("So far: %(states)s.") % {"states": states}

    def clean_co_signers(self):
        """An organization that declined is not asked again (naming the field)."""
        from consultations.models import CoSignatureState

        chosen = self.cleaned_data.get("co_signers")
        if not chosen or self.co_signatures is None:
            return chosen
        declined = sorted(
            co_signature.organization.name
            for co_signature in self.co_signatures.filter(
                state=CoSignatureState.DECLINED, organization__in=chosen
            )
        )
        if declined:
            raise forms.ValidationError(
                _("These organizations declined to co-sign and cannot be asked again: %(names)s.")
                % {"names": ", ".join(declined)}
            )
        return chosen
