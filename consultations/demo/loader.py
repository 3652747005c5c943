"""Load the demo story from the data files beside this module: the policy on the
recognition and support of community action, in English and French.

- `policy.json`: the policies index and the policy page, its lead ministry and
  secretariat (organizations named by their keys in `organizations/demo/keys.csv`);
- `versions.json`: its versions, oldest first, with who received each before its
  release; each version's sections in `versions/<slug>.<language>.md`, one `## anchor.
  heading` a section followed by its text (one paragraph);
- `rounds.json`: the rounds under the policy and the states they went through, in order,
  each naming the file of its briefs and of its response, if any. A date is an ISO date,
  or a number of days from the day the demo is loaded (`-14`: two weeks before), so the
  demo's current round is open and its planned one ahead whenever the demo is loaded;
- `briefs.json` (the 2000 consultation's) and `briefs-update.json` (the open round's):
  the briefs sent while the round was open, each with the PDF its sender would attach;
  the co-signer whose confirmation is still pending, and the passages redacted from the
  public copy, if any;
- `response.json`: the government's answer, point by point, citing briefs by title, with
  each point's French;
- a round's `fr` in `rounds.json`: its French page (title, slug, description, report); a
  round without one has no French page (`/fr/` shows the English one, with a notice);
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
from django.utils import timezone
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
    RoundState,
    Submission,
    VersionAccess,
)
from ..services.rounds import change_round_state, submit_brief
from .editors import confirm_co_signatures, demo_editor
from .positions import load_positions

DATA = Path(__file__).resolve().parent
# What `rounds.json` says of a round besides its page's own fields.
NOT_FIELDS = {"convenor", "version", "invited", "states", "briefs", "response", "fr"}
DATES = ("opens_on", "closes_on", "report_date", "response_date")
SECTION = re.compile(r"^## (?P<anchor>[^.\s]+)\. (?P<heading>.+)$", re.MULTILINE)


def data(name: str) -> Any:
    """The content of the JSON data file `name`."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def round_date(value: str | int | None, today: datetime.date) -> datetime.date | None:
    """A date of `rounds.json`: an ISO date, or a number of days from `today`."""
    if isinstance(value, int):
        return today + datetime.timedelta(days=value)
    return _date(value)


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


def load_policy_story(home: Page, today: datetime.date | None = None) -> PolicyPage:
    """Create the policies index, the policy, its versions, rounds and positions; the
    rounds dated from `today` (by default the day of loading) are placed around it."""
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
    load_rounds(policy, organizations, today or timezone.localdate())
    load_positions(home, policy, organizations)
    return policy


def load_rounds(
    policy: PolicyPage, organizations: dict[str, Organization], today: datetime.date
) -> None:
    """The rounds of the story: the working group abolished after six months without
    progress, the 2000 public consultation whose report came out in November 2000, with
    its briefs and the government's response, the consultation open on `today` with its
    first briefs, and a roundtable planned a few weeks ahead."""
    versions = {v.number: v for v in PolicyVersionPage.objects.child_of(policy)}
    for spec in data("rounds.json"):
        fields = {name: value for name, value in spec.items() if name not in NOT_FIELDS}
        round_page = ConsultationRoundPage(
            **fields | {name: round_date(fields[name], today) for name in DATES if name in fields},
            convenor=organization(organizations, spec["convenor"]),
            version=versions.get(spec.get("version")),
        )
        policy.add_child(instance=round_page)
        round_page.save_revision().publish()
        invited = [organization(organizations, key) for key in spec["invited"]]
        if invited := [o for o in invited if o is not None]:
            round_page.invited.add(*invited)
            round_page.save()
        if "fr" in spec:
            translate_round(round_page, spec["fr"])
        briefs: list[Submission] = []
        for step in spec["states"]:
            change_round_state(
                round_page,
                step["state"],
                reason=step["reason"],
                reason_translation=step.get("fr", ""),
            )
            if "briefs" in spec and step["state"] == RoundState.OPEN:
                briefs = send_briefs(round_page, organizations, spec["briefs"])
        if "response" in spec:
            write_response(round_page, briefs, spec["response"])
            change_round_state(round_page, RoundState.RESPONSE_PUBLISHED)


def translate_round(round_page: ConsultationRoundPage, fields: dict) -> ConsultationRoundPage:
    """The round's French page (title, slug, description, report), made before its
    states change: each change reaches it through `change_round_state`, and its briefs,
    report state and response are its record's (decision 011). It names the French
    translation of the version under consultation."""
    fr = Locale.objects.get(language_code="fr")
    version = round_page.version
    if version is not None:
        version = (version.get_translation_or_none(fr) or version).specific
    return publish_translation(round_page, fr, version=version, **fields)


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
    round_page: ConsultationRoundPage, organizations: dict[str, Organization], file: str
) -> list[Submission]:
    """The briefs of demo organizations in the data file `file`, sent while the round was
    open; every co-signer confirms but the pending one, so the round page names only
    those who confirmed."""
    spec = data(file)
    during = round_page.opens_on + datetime.timedelta(days=spec["sent_days_after_opening"])
    pending = names_by_key().get(spec.get("pending_co_signer", ""))
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
    for redaction in spec.get("redactions", []):
        if redaction["brief"] in by_title:
            Redaction.objects.create(
                submission=by_title[redaction["brief"]],
                passage=redaction["passage"],
                reason=redaction["reason"],
            )
    return sent


def write_response(round_page: ConsultationRoundPage, briefs: list[Submission], file: str) -> None:
    """The government's answer in the data file `file`, point by point (the 2000
    consultation's is embodied in the 2001 version)."""
    by_title = {brief.title: brief for brief in briefs}
    for position, spec in enumerate(data(file)["points"]):
        point = ResponsePoint.objects.create(
            round=round_page,
            position=position,
            said=spec["said"],
            section=spec["section"],
            response=spec["response"],
            changed_in_next_version=spec["changed_in_next_version"],
            said_translation=spec.get("fr", {}).get("said", ""),
            response_translation=spec.get("fr", {}).get("response", ""),
        )
        point.submissions.set([by_title[title] for title in spec["cites"] if title in by_title])
