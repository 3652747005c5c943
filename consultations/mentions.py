"""Where a brief's public text names the organization that sent it.

An anonymous brief must not sign itself: before it is published, the round's stewards
are shown each place where the summary (redactions applied) or a file's public text
names the submitting organization — its usual or legal name, or its acronym (the initials
of its name, or one it gives in capitals or in parentheses) — whatever the case and the
accents, so that they can redact it.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from organizations.models import Organization
from search.extract import document_text

from .models import Submission

# Words an acronym leaves out ("Regroupement des organismes" → RO).
SMALL_WORDS = {
    "a", "au", "aux", "and", "d", "de", "des", "du", "en", "et", "for", "l", "la", "le",
    "les", "of", "on", "pour", "the", "to",
}  # fmt: skip
CONTEXT = 60


@dataclass(frozen=True)
class Mention:
    where: str
    name: str
    excerpt: str


def _fold(character: str) -> str:
    decomposed = unicodedata.normalize("NFKD", character)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` without accents, case-folded, and for each of its characters the index of
    the original character it came from."""
    pieces, origin = [], []
    for index, character in enumerate(text):
        folded = _fold(character)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


def names_of(organization: Organization) -> list[str]:
    """The names the text may use for `organization`."""
    names = [organization.name, organization.legal_name]
    words = re.findall(r"[^\W\d_]+", organization.name)
    initials = "".join(word[0] for word in words if _fold(word) not in SMALL_WORDS)
    if len(initials) >= 3:
        names.append(initials.upper())
    names += re.findall(r"\(([^)]{2,20})\)", organization.name)
    names += [word for word in organization.name.split() if len(word) >= 3 and word.isupper()]
    unique: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            unique.setdefault(_folded(name.strip())[0], name.strip())
    return list(unique.values())


def find(text: str, names: list[str]) -> list[tuple[str, str]]:
    """(name, excerpt) for each place `text` holds one of `names` as whole words."""
    folded, origin = _folded(text)
    found = []
    for name in names:
        words = _folded(name)[0].split()
        expression = r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"
        for match in re.finditer(expression, folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            before = text[max(0, start - CONTEXT) : start]
            after = text[end : end + CONTEXT]
            excerpt = " ".join(f"…{before}[{text[start:end]}]{after}…".split())
            found.append((name, excerpt))
    return found


def organization_mentions(submission: Submission) -> list[Mention]:
    """Each place the brief's public text names its organization: the summary as
    published, and each file's public copy (or the original while it has none)."""
    names = names_of(submission.organization)
    texts = [(_("Summary"), submission.redacted_summary())]
    for number, attached in enumerate(submission.documents.order_by("pk"), start=1):
        copy = getattr(attached, "public_copy", None)
        document = copy.document if copy is not None and copy.document else attached.document
        label = _("File %(number)s (%(title)s)") % {
            "number": number,
            "title": attached.document.title,
        }
        texts.append((label, document_text(document)))
    return [
        Mention(where, name, excerpt)
        for where, text in texts
        for name, excerpt in find(text, names)
    ]
