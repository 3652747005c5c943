"""The story of the seed, as demo pages: the policy on recognition and support of
community action and its versions, in English and French."""

import datetime

from wagtail.models import Locale, Page

from concertation.site_setup import publish_translation
from organizations.models import Organization

from .models import (
    ConsultationRoundPage,
    PolicyIndexPage,
    PolicyPage,
    PolicyVersionPage,
    RoundKind,
    RoundState,
    VersionAccess,
    VersionStatus,
)
from .services import change_round_state


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
