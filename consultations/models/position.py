"""Positions: what coalitions and organizations say about a policy in their own voice,
outside any consultation round.

An organization's editors write a position and submit it to Wagtail's moderation
workflow; it is public once a moderator publishes it. The page says whose voice it is
(the organization, and any co-signers) and which policy or version it is about.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from organizations.models import Organization

from .cosignature import CoSignatureState, PositionCoSignature
from .policy import PolicyPage
from .version import PolicyVersionPage


class PositionIndexPage(Page):
    """Every published position, newest first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["concertation.HomePage"]
    subpage_types = ["consultations.PositionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("position index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["positions"] = (
            PositionPage.objects.child_of(self)
            .live()
            .public()
            .select_related("organization", "policy", "version")
            .order_by("-stated_on", "-pk")
        )
        return context


class PositionPage(Page):
    """A position of an organization (often a coalition) on a policy or one version."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    policy = models.ForeignKey(
        PolicyPage,
        verbose_name=_("policy"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    version = models.ForeignKey(
        PolicyVersionPage,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
        help_text=_("The version of the policy the position answers, if it answers one."),
    )
    stated_on = models.DateField(_("stated on"))
    body = RichTextField(_("position"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("organization"), FieldPanel("stated_on")]),
        FieldPanel("co_signers"),
        FieldRowPanel([FieldPanel("policy"), FieldPanel("version")]),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["consultations.PositionIndexPage"]
    subpage_types: list[str] = []
    # base_form_class: `consultations.admin_forms.PositionForm`, set by
    # `ConsultationsConfig.ready()` (a model does not import forms).

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def permissions_for_user(self, user):
        # The organization's editors, not only the page's creator, write it
        # (`consultations.permissions.positions`).
        from consultations.permissions.positions import PositionPermissionTester

        return PositionPermissionTester(user, self)

    def translation_original(self) -> "PositionPage":
        """The first page of this position's translations, on which its co-signatures
        are recorded (`PositionCoSignature`)."""
        return (
            PositionPage.objects.filter(translation_key=self.translation_key).order_by("pk").first()
            or self
        )

    def confirmed_co_signers(self) -> list[Organization]:
        """The co-signers who agreed to be named, in every language of the position: the
        only ones anything public shows. Read from their own table, never from the page's
        revision, so a preview or a published revision shows no one else. One query, or
        none after `attach_confirmed_co_signers` (for many positions at once)."""
        cached = getattr(self, "_confirmed_co_signers", None)
        if cached is not None:
            return cached
        return list(
            Organization.objects.filter(
                positioncosignatures__position__translation_key=self.translation_key,
                positioncosignatures__state=CoSignatureState.CONFIRMED,
            )
            .distinct()
            .order_by("name")
        )

    def clean(self) -> None:
        super().clean()
        if self.version_id and self.policy_id:
            version = PolicyVersionPage.objects.filter(pk=self.version_id).first()
            policy = PolicyPage.objects.filter(pk=self.policy_id).first()
            if version and policy and not version.is_child_of(policy):
                raise ValidationError(
                    {"version": _("This version belongs to another policy than the one chosen.")}
                )


def attach_confirmed_co_signers(positions: list[PositionPage]) -> None:
    """Read the confirmed co-signers of many positions in one query, so building their
    search documents costs the same queries whatever their number."""
    by_key: dict = {position.translation_key: {} for position in positions}
    co_signatures = (
        PositionCoSignature.objects.confirmed()
        .filter(position__translation_key__in=list(by_key))
        .select_related("organization")
        .annotate(translation_key=models.F("position__translation_key"))
    )
    for co_signature in co_signatures:
        by_key[co_signature.translation_key][co_signature.organization_id] = (
            co_signature.organization
        )
    for position in positions:
        organizations = by_key[position.translation_key].values()
        position._confirmed_co_signers = sorted(organizations, key=lambda o: o.name)
