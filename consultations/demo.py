"""The story of the seed, as demo pages: the policy on recognition and support of
community action and its versions, in English and French."""

import datetime
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from wagtail.models import Locale, Page

from concertation.site_setup import publish_translation
from organizations.models import Organization

from .demo_positions import load_positions
from .models import (
    ConsultationRoundPage,
    PolicyIndexPage,
    PolicyPage,
    PolicyVersionPage,
    Publication,
    Redaction,
    ResponsePoint,
    RoundKind,
    RoundState,
    Submission,
    VersionAccess,
    VersionStatus,
)
from .services.cosigning import answer_co_signature
from .services.rounds import change_round_state, submit_brief


def _section(anchor: str, heading: str, text: str) -> tuple[str, dict]:
    return ("section", {"anchor": anchor, "heading": heading, "text": f"<p>{text}</p>"})


VERSIONS = [
    {
        "slug": "first-version-1999",
        "number": 1,
        "status": VersionStatus.SUPERSEDED,
        "release_date": datetime.date(1999, 6, 1),
        # The advisory committee created in 1995 saw no version before its announcement;
        # only ministries had it.
        "accesses": [("Ministère de la Solidarité sociale", datetime.date(1999, 3, 15))],
        "en": {
            "title": "First version (1999)",
            "summary_of_changes": "First draft, prepared mainly through consultation across "
            "government ministries. The advisory committee created in 1995 had not seen it "
            "before its public announcement.",
            "body": [
                _section(
                    "1",
                    "Scope",
                    "The policy covers community organizations in the "
                    "broadest sense, including every non-profit organization.",
                ),
                _section(
                    "2",
                    "Expectations of organizations",
                    "Organizations respond to the "
                    "policies and objectives of the government, are accountable for their "
                    "outcomes and provide services according to public-service norms.",
                ),
            ],
        },
        "fr": {
            "title": "Première version (1999)",
            "summary_of_changes": "Premier projet, préparé surtout par une consultation "
            "interministérielle. Le comité aviseur créé en 1995 ne l'avait pas vu avant son "
            "annonce publique.",
            "body": [
                _section(
                    "1",
                    "Portée",
                    "La politique vise les organismes communautaires au "
                    "sens large, y compris tous les organismes sans but lucratif.",
                ),
                _section(
                    "2",
                    "Attentes envers les organismes",
                    "Les organismes répondent aux "
                    "politiques et aux objectifs du gouvernement, rendent compte de leurs "
                    "résultats et offrent des services selon les normes du service "
                    "public.",
                ),
            ],
        },
    },
    {
        "slug": "consultation-document-2000",
        "number": 2,
        "status": VersionStatus.SUPERSEDED,
        "release_date": datetime.date(2000, 4, 15),
        "accesses": [
            ("Comité aviseur de l'action communautaire autonome", datetime.date(2000, 3, 31)),
        ],
        "en": {
            "title": "Consultation document (April 2000)",
            "summary_of_changes": "Redrafted in the language of the sector after the first "
            "version was widely criticized; put to a public consultation.",
            "body": [
                _section(
                    "1",
                    "Autonomous community organizations",
                    "Criteria for "
                    "recognising an autonomous community organization: non-profit, rooted "
                    "in its community, a democratic associative life, free to set its own "
                    "mission, orientations, approaches and practices.",
                ),
                _section(
                    "2",
                    "Advocacy organizations",
                    "Special provisions for advocacy "
                    "organizations, and separate funding for autonomous community action "
                    "allocated through the secretariat.",
                ),
            ],
        },
        "fr": {
            "title": "Document de consultation (avril 2000)",
            "summary_of_changes": "Réécrit dans la langue du milieu après les critiques de la "
            "première version; soumis à une consultation publique.",
            "body": [
                _section(
                    "1",
                    "Organismes communautaires autonomes",
                    "Critères de "
                    "reconnaissance d'un organisme communautaire autonome : sans but "
                    "lucratif, enraciné dans la communauté, une vie associative "
                    "démocratique, libre de déterminer sa mission, ses orientations, ses "
                    "approches et ses pratiques.",
                ),
                _section(
                    "2",
                    "Organismes de défense collective des droits",
                    "Dispositions "
                    "particulières pour les organismes de défense des droits et "
                    "financement distinct de l'action communautaire autonome, réparti par "
                    "le secrétariat.",
                ),
            ],
        },
    },
]


REDRAFTED = {
    "slug": "policy-2001",
    "number": 3,
    "status": VersionStatus.ADOPTED,
    "release_date": datetime.date(2001, 9, 5),
    "accesses": [
        ("Comité aviseur de l'action communautaire autonome", datetime.date(2001, 6, 1)),
    ],
    "en": {
        "title": "Policy on community action (2001)",
        "summary_of_changes": "Written in the language of the sector after the 2000 public "
        "consultation and the November 2000 report; lists the criteria of an autonomous "
        "community organization and special provisions for advocacy organizations.",
        "body": [
            _section(
                "1",
                "Autonomous community organizations",
                "Criteria for "
                "recognising an autonomous community organization: non-profit, rooted "
                "in its community, a democratic associative life, free to set its own "
                "mission, orientations, approaches and practices, founded at the "
                "initiative of people in the community, a mission of social "
                "transformation, broad citizen-based action, a board independent of "
                "the public network.",
            ),
            _section(
                "2",
                "Advocacy organizations",
                "Special provisions for advocacy "
                "organizations, and separate funding for autonomous community action "
                "allocated through the secretariat.",
            ),
            _section(
                "3",
                "Partnership",
                "The government meets and consults the sector "
                "regularly on important policy decisions.",
            ),
        ],
    },
    "fr": {
        "title": "Politique de l'action communautaire (2001)",
        "summary_of_changes": "Rédigée dans la langue du milieu après la consultation "
        "publique de 2000 et le rapport de novembre 2000; énonce les critères d'un "
        "organisme communautaire autonome et des dispositions particulières pour les "
        "organismes de défense collective des droits.",
        "body": [
            _section(
                "1",
                "Organismes communautaires autonomes",
                "Critères de "
                "reconnaissance d'un organisme communautaire autonome : sans but "
                "lucratif, enraciné dans la communauté, une vie associative "
                "démocratique, libre de déterminer sa mission, ses orientations, ses "
                "approches et ses pratiques, constitué à l'initiative des gens de la "
                "communauté, une mission de transformation sociale, des pratiques "
                "citoyennes et des approches larges, un conseil d'administration "
                "indépendant du réseau public.",
            ),
            _section(
                "2",
                "Organismes de défense collective des droits",
                "Dispositions "
                "particulières pour les organismes de défense des droits et "
                "financement distinct de l'action communautaire autonome, réparti par "
                "le secrétariat.",
            ),
            _section(
                "3",
                "Partenariat",
                "Le gouvernement rencontre et consulte le milieu "
                "régulièrement sur les décisions importantes.",
            ),
        ],
    },
}


def load_policy_story(home: Page) -> PolicyPage:
    fr = Locale.objects.get(language_code="fr")
    organizations = {o.name: o for o in Organization.objects.all()}
    policies = PolicyIndexPage(title="Policies", slug="policies")
    home.add_child(instance=policies)
    policies.save_revision().publish()
    publish_translation(policies, fr, title="Politiques")

    policy = PolicyPage(
        title="Policy on the recognition and support of community action",
        slug="community-action-policy",
        lead_ministry=organizations.get("Ministère de la Solidarité sociale"),
        responsible_secretariat=organizations.get("Secrétariat à l'action communautaire autonome"),
        summary="<p>The framework for relations between the Quebec government and the "
        "community sector, the product of ten years of demands for recognition.</p>",
    )
    policies.add_child(instance=policy)
    policy.save_revision().publish()
    publish_translation(
        policy,
        fr,
        title="Politique de reconnaissance et de soutien de l'action communautaire",
        summary="<p>Le cadre des relations entre le gouvernement du Québec et le milieu "
        "communautaire, fruit de dix ans de revendications.</p>",
    )

    for version in [*VERSIONS, REDRAFTED]:
        page = PolicyVersionPage(
            slug=version["slug"],
            number=version["number"],
            status=version["status"],
            release_date=version["release_date"],
            **version["en"],
        )
        policy.add_child(instance=page)
        page.save_revision().publish()
        for name, received_on in version["accesses"]:
            if name in organizations:
                VersionAccess.objects.create(
                    version=page, recipient=organizations[name], received_on=received_on
                )
        publish_translation(page, fr, **version["fr"])
    load_rounds(policy, organizations)
    load_positions(home, policy, organizations)
    return policy


def load_rounds(policy: PolicyPage, organizations: dict) -> None:
    """The rounds of the story: the working group abolished after six months without
    progress, and the 2000 public consultation whose report came out in November 2000."""
    versions = {v.number: v for v in PolicyVersionPage.objects.child_of(policy)}
    ministry = organizations.get("Ministère de la Solidarité sociale")
    committee = organizations.get("Comité aviseur de l'action communautaire autonome")
    rounds = [
        (
            ConsultationRoundPage(
                title="Working group on partnership (1998)",
                slug="working-group-1998",
                kind=RoundKind.WORKING_GROUP,
                convenor=ministry,
                opens_on=datetime.date(1998, 3, 1),
                closes_on=datetime.date(1998, 9, 1),
                description="Ministry and sector representatives meant to frame the "
                "partnership; the sector felt it was there to be sold a vision.",
            ),
            [
                (RoundState.OPEN, ""),
                (
                    RoundState.ABANDONED,
                    "Abolished after six months of "
                    "discussions without progress towards a policy framework.",
                ),
            ],
        ),
        (
            ConsultationRoundPage(
                title="Public consultation on the proposed policy (2000)",
                slug="public-consultation-2000",
                kind=RoundKind.PUBLIC_CONSULTATION,
                convenor=ministry,
                version=versions.get(2),
                opens_on=datetime.date(2000, 4, 15),
                closes_on=datetime.date(2000, 9, 30),
                description="A vast public consultation campaign with community "
                "organizations, launched by the Minister of Social Solidarity.",
                report="<p>The report of November 2000: organizations asked that the policy "
                "recognize autonomous community action by its own criteria, fund "
                "organizations for their global mission, and treat advocacy organizations "
                "distinctly.</p>",
                report_date=datetime.date(2000, 11, 15),
                response_date=datetime.date(2001, 9, 5),
            ),
            [(RoundState.OPEN, ""), (RoundState.CLOSED, ""), (RoundState.REPORT_PUBLISHED, "")],
        ),
    ]
    for round_page, states in rounds:
        policy.add_child(instance=round_page)
        round_page.save_revision().publish()
        if committee is not None:
            round_page.invited.add(committee)
            round_page.save()
        for state, reason in states:
            change_round_state(round_page, state, reason=reason)
            if round_page.kind == RoundKind.PUBLIC_CONSULTATION and state == RoundState.OPEN:
                briefs = send_briefs(round_page, organizations)
        if round_page.kind == RoundKind.PUBLIC_CONSULTATION:
            write_response(round_page, briefs)
            change_round_state(round_page, RoundState.RESPONSE_PUBLISHED)


# The briefs of the 2000 consultation: (sender, co-signers, publication, sections, title,
# summary). One is published without its sender's name, one not published at all.
# Every co-signer named confirms, but one, whose request is still pending: the round
# page names only those who confirmed.
PENDING_CO_SIGNER = "Regroupement des organismes communautaires de l'Estrie"
BRIEFS = [
    (
        "Comité aviseur de l'action communautaire autonome",
        (),
        Publication.NAMED,
        "1",
        "The criteria of autonomous community action",
        "The criteria of section 1 are a start but leave out what makes community action "
        "autonomous: organizations founded at the initiative of people in the community, "
        "a mission of social transformation, broad citizen-based action, and a board "
        "independent of the public network. Written by our coordinator Jeanne Tremblay.",
    ),
    (
        "Coalition des tables régionales d'organismes communautaires",
        (
            "Table régionale des organismes communautaires de l'Abitibi-Témiscamingue",
            "Table régionale des organismes communautaires du Saguenay–Lac-Saint-Jean",
            "Regroupement des organismes communautaires de l'Estrie",
        ),
        Publication.NAMED,
        "1, 3",
        "Fund the global mission, and consult us regularly",
        "The regional tables ask for core funding of the global mission rather than "
        "project funding, recognition criteria written by the sector, and a government "
        "commitment to meet and consult the sector regularly on important decisions.",
    ),
    (
        "Réseau québécois des groupes de défense collective des droits",
        (),
        Publication.NAMED,
        "2",
        "Advocacy is community action",
        "Advocacy organizations must be recognized as community action in their own "
        "right, with special provisions and a distinct source of funding, so that the "
        "government does not fund only the groups that do not criticize it.",
    ),
    (
        "Regroupement québécois des centres de femmes",
        (),
        Publication.ANONYMOUS,
        "3",
        "Partnership means being heard",
        "Consultation must come before decisions, not after: the sector should see texts "
        "before they are fixed and be met regularly.",
    ),
    (
        "Maison de la famille de Laval",
        (),
        Publication.WITHHELD,
        "1",
        "Our situation as a family organization",
        "An account of our funding situation, sent for the ministry's information only.",
    ),
]


def _demo_editor(organization: Organization):
    """A demo account that edits `organization`, without a usable password (give it one
    with `manage.py changepassword editor-<slug>` to try an editor's screens)."""
    from django.contrib.auth import get_user_model

    from organizations.services import grant_editor

    username = f"editor-{organization.slug}"[:150]
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    grant_editor(user, organization)
    return user


def confirm_co_signatures(co_signatures) -> None:
    """Each co-signature confirmed by a demo editor of its organization."""
    for co_signature in co_signatures.select_related("organization"):
        answer_co_signature(co_signature, _demo_editor(co_signature.organization), confirm=True)


def _brief_pdf(title: str, summary: str, author: str) -> SimpleUploadedFile:
    """The brief as the PDF its sender would attach: one sentence a line, and the
    sender's name in the file's metadata, as word processors write it (the public copy
    removes both the redacted passages and the metadata)."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    text = "\n\n".join([title, *re.split(r"(?<=\.)\s+", summary)])
    page.insert_textbox(pymupdf.Rect(72, 72, 540, 770), text, fontsize=11)
    document.set_metadata({"title": title, "author": author, "creator": author})
    return SimpleUploadedFile(
        f"{slugify(author)[:60]}-{slugify(title)[:60]}.pdf",
        document.tobytes(),
        content_type="application/pdf",
    )


def send_briefs(round_page: ConsultationRoundPage, organizations: dict) -> list[Submission]:
    """The briefs of demo organizations, sent while the round was open."""
    sent = []
    during = round_page.opens_on + datetime.timedelta(days=60)
    for name, co_signers, publication, sections, title, summary in BRIEFS:
        organization = organizations.get(name)
        if organization is None:
            continue
        submission = submit_brief(
            round_page,
            organization,
            _demo_editor(organization),
            title=title,
            summary=summary,
            files=[_brief_pdf(title, summary, name)],
            co_signers=[organizations[c] for c in co_signers if c in organizations],
            sections=sections,
            publication=publication,
            today=during,
        )
        confirm_co_signatures(
            submission.co_signatures.exclude(organization__name=PENDING_CO_SIGNER)
        )
        sent.append(submission)
    if sent:
        Redaction.objects.create(
            submission=sent[0],
            passage="Written by our coordinator Jeanne Tremblay.",
            reason="A staff member's name, published without her consent.",
        )
    return sent


def write_response(round_page: ConsultationRoundPage, briefs: list[Submission]) -> None:
    """The government's answer, point by point, embodied in the 2001 version."""
    by_title = {brief.title: brief for brief in briefs}
    points = [
        (
            "Add the sector's own criteria: founded by the community, a mission of social "
            "transformation, a board independent of the public network.",
            [
                "The criteria of autonomous community action",
                "Fund the global mission, and consult us regularly",
            ],
            "1",
            "The criteria of autonomous community action are completed as asked.",
            True,
        ),
        (
            "Recognize advocacy organizations and fund them distinctly.",
            ["Advocacy is community action"],
            "2",
            "The special provisions and the distinct funding through the secretariat, "
            "already in the consultation document, are kept.",
            False,
        ),
        (
            "Commit the government to meet and consult the sector regularly.",
            ["Fund the global mission, and consult us regularly", "Partnership means being heard"],
            "3",
            "A partnership section is added: the government meets and consults the sector "
            "regularly on important policy decisions.",
            True,
        ),
    ]
    for position, (said, cited, section, response, changed) in enumerate(points):
        point = ResponsePoint.objects.create(
            round=round_page,
            position=position,
            said=said,
            section=section,
            response=response,
            changed_in_next_version=changed,
        )
        point.submissions.set([by_title[title] for title in cited if title in by_title])
