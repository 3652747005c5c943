"""How policy versions (section by section), rounds (with their reports, and their
responses point by point), submissions (with the text of their attached files) and
positions appear in the archive search, and who may find each. Fora are in
`consultations.fora.documents`."""

import re
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Left, Length
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from organizations.documents import FACET_RELATIONS, organization_facets
from organizations.models import Organization
from search.extract import document_text
from search.readers import (
    SUPERUSER,
    attach_view_restrictions,
    cached_view_restrictions,
    page_readers,
    principal_source,
)
from search.registry import SearchableModel, SearchablePage, registry
from search.tasks import enqueue_sync, enqueue_sync_many

from .models import (
    ConsultationRoundPage,
    CoSignatureState,
    PolicyVersionPage,
    PositionCoSignature,
    PositionPage,
    Redaction,
    ResponsePoint,
    Submission,
    SubmissionCoSignature,
    SubmissionDocument,
)
from .models.position import attach_confirmed_co_signers
from .permissions.stewardship import MANAGE_POLICY, MANAGE_ROUND, manages_everything
from .signals import round_state_changed

# The reader token of users who manage every policy and round (`manages_everything`).
ROUND_MANAGER = "round-manager"


def parent_slug(path: str, field: str = "slug") -> Subquery:
    """The slug (or another `field`) of the parent of the page whose tree path is the
    field `path`: versions and rounds are children of their policy, so one annotation
    gives the `policy` facet of a whole chunk of them without a query per record."""
    return Subquery(
        Page.objects.filter(
            path=Left(OuterRef(path), Length(OuterRef(path)) - Page.steplen)
        ).values(field)[:1]
    )


def signed_by(records: QuerySet, organization: Organization, co_signed: Q) -> QuerySet:
    """The keys of the `records` (briefs or positions) `organization` sent or co-signed
    (`co_signed`: the condition of a confirmed co-signature, the only kind documents
    show): its name and facets are in their documents."""
    return (
        records.filter(Q(organization=organization) | co_signed)
        .values_list("pk", flat=True)
        .distinct()
    )


def redact(text: str, redactions: Iterable[Redaction]) -> str:
    """`text` with every redacted passage replaced by the notice `redacted_summary` uses.

    Text extracted from a file breaks lines and spaces where its layout did, and may
    differ in case from the passage the staff typed: the passage matches across any run
    of white space, whatever the case, so that it never reaches the index.
    """
    for redaction in redactions:
        words = redaction.passage.split()
        if not words:
            continue
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
        notice = str(_("[redacted: %(reason)s]") % {"reason": redaction.reason})
        text = pattern.sub(lambda _match, notice=notice: notice, text)
    return text


@registry.register
class SearchablePolicyVersion(SearchablePage):
    model = PolicyVersionPage
    label = _("Policy version")
    kind = "policy_version"
    # Not `body`: it is StreamField JSON, and `icontains` on it would match block names
    # and keys ("section", "anchor", "heading", "value") in every version.
    fallback_fields = ("title", "summary_of_changes")

    def get_queryset(self) -> QuerySet:
        return (
            PolicyVersionPage.objects.released()
            .select_related("locale")
            .annotate(policy_slug=parent_slug("path"))
        )

    def title(self, instance: PolicyVersionPage) -> str:
        return instance.title

    def body(self, instance: PolicyVersionPage) -> str:
        """The summary of changes and the sections' headings: the sections' text is in
        the sections' own documents, so that a passage leads to its section and is not
        found twice."""
        headings = [section["heading"] for section in instance.sections()]
        return "\n".join(filter(None, [instance.summary_of_changes, *headings]))

    def url(self, instance: PolicyVersionPage) -> str:
        return instance.get_url()

    def language(self, instance: PolicyVersionPage) -> str:
        return instance.locale.language_code

    def date(self, instance: PolicyVersionPage):
        return instance.release_date

    def extra_fields(self, instance: PolicyVersionPage) -> dict:
        return {"policy": instance.policy_slug}

    # Each section, a document of its own, so that a result leads to the section that
    # matched (its anchor on the version's page).
    part_kind = "policy_section"
    part_label = _("Policy section")

    def parts(self, instance: PolicyVersionPage) -> list[tuple[str, dict]]:
        url = instance.get_url()
        parts = []
        suffixes: set[str] = set()
        for section in instance.sections():
            anchor = slugify(section["anchor"])
            # "1.2" and "12" slugify alike: the page's ids do too, but document ids may not.
            if not anchor or anchor in suffixes:
                continue
            suffixes.add(anchor)
            title = f"{instance.title} — {section['heading']}" if section["heading"] else ""
            parts.append(
                (
                    anchor,
                    {
                        "title": title or instance.title,
                        "body": "\n".join(filter(None, [section["heading"], section["text"]])),
                        "url": f"{url}#section-{anchor}",
                    },
                )
            )
        return parts


@registry.register
class SearchableRound(SearchablePage):
    """A round, with its report once published and its response once published.

    Its state changes by a conditional update, not a save: `round_state_changed`
    (connected below) re-syncs it, and the submissions whose visibility follows it.
    """

    model = ConsultationRoundPage
    label = _("Consultation round")
    kind = "consultation_round"
    fallback_fields = ("title", "description")

    depends_on = (Organization,)

    def pks_depending_on(self, instance: Organization) -> QuerySet:
        return instance.rounds_convened.values_list("pk", flat=True)

    def get_queryset(self) -> QuerySet:
        return (
            ConsultationRoundPage.objects.live()
            .select_related("locale", "convenor")
            .annotate(policy_slug=parent_slug("path"))
        )

    def prepare(self, instances: list[ConsultationRoundPage]) -> None:
        """Each round's response points, read from its record (a translation has none of
        its own, decision 011): one query for the chunk."""
        super().prepare(instances)
        points: dict = {}
        keys = {instance.translation_key for instance in instances}
        for point in (
            ResponsePoint.objects.filter(round__translation_key__in=keys)
            .select_related("round__locale")
            .order_by("position", "pk")
        ):
            points.setdefault(point.round.translation_key, []).append(point)
        for instance in instances:
            instance.record_points = points.get(instance.translation_key, [])

    def title(self, instance: ConsultationRoundPage) -> str:
        return instance.title

    def body(self, instance: ConsultationRoundPage) -> str:
        """The description, and the report once published; the response's points are
        documents of their own (`parts`)."""
        parts = [instance.description]
        if instance.report_is_public:
            parts.append(strip_tags(instance.report))
        return "\n".join(filter(None, parts))

    # Each point of the published response, a document of its own leading to the point
    # on the round's page: what was said, and what the government answered.
    part_kind = "response_point"
    part_label = _("Response point")

    def parts(self, instance: ConsultationRoundPage) -> list[tuple[str, dict]]:
        if not instance.response_is_public:
            return []
        url = instance.get_url()
        language = instance.locale.language_code
        parts = []
        if not hasattr(instance, "record_points"):
            self.prepare([instance])
        for point in instance.record_points:
            said, response, _shown_in = point.in_language(
                language, point.round.locale.language_code
            )
            parts.append(
                (
                    str(point.pk),
                    {
                        "title": f"{instance.title} — {Truncator(said).chars(80)}",
                        "body": "\n".join(filter(None, [said, response])),
                        "url": f"{url}#point-{point.pk}",
                    },
                )
            )
        return parts

    def url(self, instance: ConsultationRoundPage) -> str:
        return instance.get_url()

    def language(self, instance: ConsultationRoundPage) -> str:
        return instance.locale.language_code

    def date(self, instance: ConsultationRoundPage):
        return instance.response_date or instance.report_date or instance.opens_on

    def extra_fields(self, instance: ConsultationRoundPage) -> dict:
        convenors = [instance.convenor.slug] if instance.convenor else []
        return {"policy": instance.policy_slug, "organization": convenors}


@registry.register
class SearchableSubmission(SearchableModel):
    """A brief with the text of its attached files, redacted passages replaced in both:
    the index never holds them.

    A published brief is read by whoever may read its round; an unpublished one (withheld,
    or its round not publishing yet) only by those who read it on the round's page: its
    organization's editors and the round's stewards (`Submission.objects.visible_to`).

    Who sent it — the author, the co-signers, and the organization's sector, region and
    constituency, which could name an anonymous author — is indexed only when it was
    published with the name.
    """

    model = Submission
    label = _("Submission")
    kind = "submission"
    fallback_fields = ("title", "summary")
    may_be_restricted = True

    depends_on = (Organization,)

    def pks_depending_on(self, instance: Organization) -> QuerySet:
        co_signed = Q(
            co_signatures__organization=instance,
            co_signatures__state=CoSignatureState.CONFIRMED,
        )
        return signed_by(Submission.objects.all(), instance, co_signed)

    def get_queryset(self) -> QuerySet:
        return (
            Submission.objects.filter(round__live=True)
            .select_related("organization__region", "round__locale")
            .prefetch_related(
                "redactions",
                "co_signatures__organization",
                "documents__public_copy__document",
                *(f"organization__{relation}" for relation in FACET_RELATIONS),
            )
            .annotate(
                policy_slug=parent_slug("round__path"),
                policy_pk=parent_slug("round__path", "pk"),
            )
        )

    def prepare(self, instances: list[Submission]) -> None:
        attach_view_restrictions(instances, lambda submission: submission.round)

    def readers(self, instance: Submission) -> list[str] | None:
        round_readers = page_readers(cached_view_restrictions(instance, instance.round))
        if instance.is_published or round_readers == []:
            return round_readers
        if round_readers is not None:
            # Unpublished, in a private round: editors and stewards are not named by the
            # round's restriction, and tokens cannot say "both".
            return [SUPERUSER]
        return [
            SUPERUSER,
            ROUND_MANAGER,
            f"org:{instance.organization_id}",
            f"round:{instance.round_id}",
            f"policy:{instance.policy_pk}",
        ]

    def title(self, instance: Submission) -> str:
        return instance.title

    def body(self, instance: Submission) -> str:
        voices = ""
        if instance.public_author():
            voices = ", ".join(
                [instance.public_author(), *(o.name for o in instance.confirmed_co_signers())]
            )
        # Only the public copies ready to publish (`consultations.public_copies`): the
        # originals, and copies that wait for staff, may still hold a redacted passage.
        files = [document_text(document) for document in instance.public_files()]
        redactions = list(instance.redactions.all())
        attached_text = redact("\n".join(filter(None, files)), redactions)
        return "\n".join(filter(None, [voices, instance.redacted_summary(), attached_text]))

    def url(self, instance: Submission) -> str:
        return f"{instance.round.get_url()}#submission-{instance.pk}"

    def language(self, instance: Submission) -> str:
        return instance.language

    def date(self, instance: Submission):
        return instance.submitted_at

    def extra_fields(self, instance: Submission) -> dict:
        fields: dict = {"policy": instance.policy_slug, "organization": []}
        if instance.public_author():
            organizations = [instance.organization, *instance.confirmed_co_signers()]
            fields["organization"] = [organization.slug for organization in organizations]
            fields.update(organization_facets(instance.organization))
        return fields

    def pks_following_page(self, page) -> QuerySet:
        rounds = ConsultationRoundPage.objects.descendant_of(page, inclusive=True)
        return Submission.objects.filter(round__in=rounds).values_list("pk", flat=True)

    def fallback_filter(self, terms: list[str]) -> Q:
        """As the default, but a term found inside a redacted passage (accents and case
        ignored, as the default matches) finds nothing: the existence of a hit would
        confirm what the redaction hides."""
        condition = super().fallback_filter(terms)
        for term in terms:
            condition &= ~Exists(
                Redaction.objects.filter(
                    submission=OuterRef("pk"), passage__unaccent__icontains=term
                )
            )
        return condition


@registry.register
class SearchablePosition(SearchablePage):
    model = PositionPage
    label = _("Position")
    kind = "position"
    fallback_fields = ("title",)

    depends_on = (Organization,)

    def pks_depending_on(self, instance: Organization) -> QuerySet:
        co_signed = Q(
            translation_key__in=PositionCoSignature.objects.confirmed()
            .filter(organization=instance)
            .values("position__translation_key")
        )
        return signed_by(PositionPage.objects.all(), instance, co_signed)

    def prepare(self, instances: list[PositionPage]) -> None:
        super().prepare(instances)
        attach_confirmed_co_signers(instances)

    def get_queryset(self) -> QuerySet:
        return (
            PositionPage.objects.live()
            .select_related("locale", "organization__region", "policy")
            .prefetch_related(*(f"organization__{relation}" for relation in FACET_RELATIONS))
        )

    def title(self, instance: PositionPage) -> str:
        return instance.title

    def body(self, instance: PositionPage) -> str:
        voices = ", ".join(
            [instance.organization.name, *(o.name for o in instance.confirmed_co_signers())]
        )
        return "\n".join([voices, strip_tags(instance.body)])

    def url(self, instance: PositionPage) -> str:
        return instance.get_url()

    def language(self, instance: PositionPage) -> str:
        return instance.locale.language_code

    def date(self, instance: PositionPage):
        return instance.stated_on

    def extra_fields(self, instance: PositionPage) -> dict:
        organizations = [instance.organization, *instance.confirmed_co_signers()]
        return {
            "policy": instance.policy.slug,
            "organization": [organization.slug for organization in organizations],
            **organization_facets(instance.organization),
        }


@receiver(round_state_changed)
def reindex_round_and_its_submissions(sender, round_page: ConsultationRoundPage, **kwargs) -> None:
    """Whether the report, the response and the submissions are public follows the state
    (the round's, in every language: its translations share its record)."""
    enqueue_sync_many(SearchableRound.kind, _translations_of_round(round_page.pk))
    enqueue_sync_many(
        SearchableSubmission.kind,
        Submission.objects.filter(round_page.record_filter()).values_list("pk", flat=True),
    )


def _translations_of_round(round_id: int) -> QuerySet:
    """The keys of a round's pages in every language."""
    key = ConsultationRoundPage.objects.filter(pk=round_id).values("translation_key")[:1]
    return ConsultationRoundPage.objects.filter(translation_key=key).values_list("pk", flat=True)


@receiver([post_save, post_delete], sender=Redaction)
def reindex_redacted_submission(sender, instance: Redaction, **kwargs) -> None:
    enqueue_sync(SearchableSubmission.kind, instance.submission_id)


@receiver([post_save, post_delete], sender=ResponsePoint)
def reindex_responded_round(sender, instance: ResponsePoint, **kwargs) -> None:
    """A point is part of its round's documents in every language."""
    enqueue_sync_many(SearchableRound.kind, _translations_of_round(instance.round_id))


@receiver([post_save, post_delete], sender=SubmissionDocument)
def reindex_submission_with_files(sender, instance: SubmissionDocument, **kwargs) -> None:
    """The text of a brief's files is part of its document."""
    enqueue_sync(SearchableSubmission.kind, instance.submission_id)


@principal_source
def stewardship_principals(user) -> list[str]:
    """The rounds and policies `user` was made a steward of, one by one
    (`consultations.permissions.stewardship`), or all of them."""
    from guardian.shortcuts import get_objects_for_user

    from .models import PolicyPage

    tokens = [ROUND_MANAGER] if manages_everything(user) else []
    for permission, klass, prefix in (
        (MANAGE_ROUND, ConsultationRoundPage, "round"),
        (MANAGE_POLICY, PolicyPage, "policy"),
    ):
        granted = get_objects_for_user(user, permission, klass=klass, accept_global_perms=False)
        tokens += [f"{prefix}:{pk}" for pk in granted.values_list("pk", flat=True)]
    return tokens


def reindex_co_signed(co_signature: SubmissionCoSignature | PositionCoSignature) -> None:
    """A co-signature's record names its confirmed co-signers in its documents and
    organization facet: re-sync it after commit (a position in every language)."""
    if isinstance(co_signature, SubmissionCoSignature):
        enqueue_sync(SearchableSubmission.kind, co_signature.submission_id)
        return
    translations = PositionPage.objects.filter(
        translation_key=PositionPage.objects.filter(pk=co_signature.position_id).values(
            "translation_key"
        )[:1]
    )
    enqueue_sync_many(SearchablePosition.kind, translations.values_list("pk", flat=True))


@receiver([post_save, post_delete], sender=SubmissionCoSignature)
@receiver([post_save, post_delete], sender=PositionCoSignature)
def reindex_on_co_signature_change(sender, instance, **kwargs) -> None:
    """A co-signature added or removed (an answer is a conditional update, re-synced by
    `consultations.services.cosigning.answer_co_signature`)."""
    reindex_co_signed(instance)
