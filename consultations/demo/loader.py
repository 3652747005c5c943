"""Load the demo story from the data files beside this module: the policy on the
recognition and support of community action, in English and French.

- `policy.json`: the policies index and the policy page, its lead ministry and
  secretariat (organizations named by their keys in `organizations/demo/keys.csv`);
- `versions.json`: its versions, oldest first, with who received each before its
  release; each version's sections in `versions/<slug>.<language>.md`, one `## anchor.
  heading` a section followed by its text (one paragraph);
- `rounds.json`: the rounds under the policy and the states they went through, in order;
- `briefs.json`: the briefs of the 2000 consultation, sent while it was open, each with
  the PDF its sender would attach; the co-signer whose confirmation is still pending, and
  the passages redacted from the public copy;
- `response.json`: the government's answer, point by point, citing briefs by title;
- `positions.json` (read by `positions.py`): the positions index and two positions.

Pages go through Wagtail's page API (`add_child`, a published revision,
`publish_translation`); briefs through `consultations.services.rounds.submit_brief`,
co-signatures through `consultations.services.cosigning`, round states through
`change_round_state`, so the search signals, the public copies and the rules see what
they see in the admin. An organization missing from the catalogue is left out.
"""

import datetime
import json
import re
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from wagtail.models import Locale, Page

from concertation.site_setup import publish_translation
from organizations.demo import names_by_key
from organizations.models import Organization

from ..models import (
    ConsultationRoundPage,
    PolicyIndexPage,
    PolicyPage,
    PolicyVersionPage,
    Redaction,
    ResponsePoint,
    RoundKind,
    RoundState,
    Submission,
    VersionAccess,
)
from ..services.rounds import change_round_state, submit_brief
from .editors import confirm_co_signatures, demo_editor
from .positions import load_positions

DATA = Path(__file__).resolve().parent
# What `rounds.json` says of a round besides its page's own fields.
NOT_FIELDS = {"convenor", "version", "invited", "states"}
DATES = ("opens_on", "closes_on", "report_date", "response_date")
SECTION = re.compile(r"^## (?P<anchor>[^.\s]+)\. (?P<heading>.+)$", re.MULTILINE)


def data(name: str) -> Any:
    """The content of the JSON data file `name`."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def organization(organizations: dict[str, Organization], key: str) -> Organization | None:
    """The demo organization of `key` among `organizations` (by name), if loaded."""
    return organizations.get(names_by_key()[key])


def sections(slug: str, language: str) -> list[tuple[str, dict]]:
    """The body of a version: the sections of `versions/<slug>.<language>.md`."""
    text = (DATA / "versions" / f"{slug}.{language}.md").read_text(encoding="utf-8")
    headings = list(SECTION.finditer(text))
    body = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        paragraph = text[heading.end() : following.start() if following else None].strip()
        body.append(
            (
                "section",
                {
                    "anchor": heading["anchor"],
                    "heading": heading["heading"],
                    "text": f"<p>{paragraph}</p>",
                },
            )
        )
    return body


def load_policy_story(home: Page) -> PolicyPage:
    """Create the policies index, the policy, its versions, rounds and positions."""
    fr = Locale.objects.get(language_code="fr")
    organizations = {o.name: o for o in Organization.objects.all()}
    story = data("policy.json")
    policies = PolicyIndexPage(slug=story["index"]["slug"], **story["index"]["en"])
    home.add_child(instance=policies)
    policies.save_revision().publish()
    publish_translation(policies, fr, **story["index"]["fr"])

    policy = PolicyPage(
        slug=story["slug"],
        lead_ministry=organization(organizations, story["lead_ministry"]),
        responsible_secretariat=organization(organizations, story["responsible_secretariat"]),
        **story["en"],
    )
    policies.add_child(instance=policy)
    policy.save_revision().publish()
    publish_translation(policy, fr, **story["fr"])

    for version in data("versions.json"):
        page = PolicyVersionPage(
            slug=version["slug"],
            number=version["number"],
            status=version["status"],
            release_date=_date(version["release_date"]),
            body=sections(version["slug"], "en"),
            **version["en"],
        )
        policy.add_child(instance=page)
        page.save_revision().publish()
        for access in version["accesses"]:
            recipient = organization(organizations, access["recipient"])
            if recipient is not None:
                VersionAccess.objects.create(
                    version=page, recipient=recipient, received_on=_date(access["received_on"])
                )
        publish_translation(page, fr, body=sections(version["slug"], "fr"), **version["fr"])
    load_rounds(policy, organizations)
    load_positions(home, policy, organizations)
    return policy


def load_rounds(policy: PolicyPage, organizations: dict[str, Organization]) -> None:
    """The rounds of the story: the working group abolished after six months without
    progress, and the 2000 public consultation whose report came out in November 2000,
    with its briefs and the government's response."""
    versions = {v.number: v for v in PolicyVersionPage.objects.child_of(policy)}
    for spec in data("rounds.json"):
        fields = {name: value for name, value in spec.items() if name not in NOT_FIELDS}
        round_page = ConsultationRoundPage(
            **fields | {name: _date(fields[name]) for name in DATES if name in fields},
            convenor=organization(organizations, spec["convenor"]),
            version=versions.get(spec.get("version")),
        )
        policy.add_child(instance=round_page)
        round_page.save_revision().publish()
        invited = [organization(organizations, key) for key in spec["invited"]]
        if invited := [o for o in invited if o is not None]:
            round_page.invited.add(*invited)
            round_page.save()
        briefs: list[Submission] = []
        for step in spec["states"]:
            change_round_state(round_page, step["state"], reason=step["reason"])
            if (
                round_page.kind == RoundKind.PUBLIC_CONSULTATION
                and step["state"] == RoundState.OPEN
            ):
                briefs = send_briefs(round_page, organizations)
        if round_page.kind == RoundKind.PUBLIC_CONSULTATION:
            write_response(round_page, briefs)
            change_round_state(round_page, RoundState.RESPONSE_PUBLISHED)


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


def send_briefs(
    round_page: ConsultationRoundPage, organizations: dict[str, Organization]
) -> list[Submission]:
    """The briefs of demo organizations, sent while the round was open; every co-signer
    confirms but the pending one, so the round page names only those who confirmed."""
    spec = data("briefs.json")
    during = round_page.opens_on + datetime.timedelta(days=spec["sent_days_after_opening"])
    pending = names_by_key()[spec["pending_co_signer"]]
    sent = []
    for brief in spec["briefs"]:
        sender = organization(organizations, brief["sender"])
        if sender is None:
            continue
        co_signers = [organization(organizations, key) for key in brief["co_signers"]]
        submission = submit_brief(
            round_page,
            sender,
            demo_editor(sender),
            title=brief["title"],
            summary=brief["summary"],
            files=[_brief_pdf(brief["title"], brief["summary"], sender.name)],
            co_signers=[o for o in co_signers if o is not None],
            sections=brief["sections"],
            publication=brief["publication"],
            today=during,
        )
        confirm_co_signatures(submission.co_signatures.exclude(organization__name=pending))
        sent.append(submission)
    by_title = {submission.title: submission for submission in sent}
    for redaction in spec["redactions"]:
        if redaction["brief"] in by_title:
            Redaction.objects.create(
                submission=by_title[redaction["brief"]],
                passage=redaction["passage"],
                reason=redaction["reason"],
            )
    return sent


def write_response(round_page: ConsultationRoundPage, briefs: list[Submission]) -> None:
    """The government's answer, point by point, embodied in the 2001 version."""
    by_title = {brief.title: brief for brief in briefs}
    for position, spec in enumerate(data("response.json")["points"]):
        point = ResponsePoint.objects.create(
            round=round_page,
            position=position,
            said=spec["said"],
            section=spec["section"],
            response=spec["response"],
            changed_in_next_version=spec["changed_in_next_version"],
        )
        point.submissions.set([by_title[title] for title in spec["cites"] if title in by_title])
