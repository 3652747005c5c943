"""The subscription forms, rendered by the site's shared form templates
(`concertation/form_fields.html`: error summary, labels, hints)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Cadence


class SubscribeForm(forms.Form):
    """An anonymous reader's follow: the address and how often. What is followed comes
    in hidden fields, resolved again on the server (never trusted as sent)."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm it. It is never shown to anyone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, such as name@example.org."),
        },
    )
    cadence = forms.ChoiceField(
        label=_("How often"),
        choices=Cadence.choices,
        initial=Cadence.DAILY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want to be told.")},
    )
    target = forms.CharField(widget=forms.HiddenInput, max_length=200)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class SettingsForm(forms.Form):
    cadence = forms.ChoiceField(
        label=_("How often"),
        choices=Cadence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want to be told.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )
