"""Compare two versions of a policy, section by section and word by word.

Sections are matched by their anchor, so a section that moved or was renumbered in the
heading but kept its anchor is compared with itself; a section whose anchor appears in
one version only is added or removed. Within a section, the words are compared with
difflib's longest-matching-block algorithm.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from .models import PolicyVersionPage

WORDS = re.compile(r"\S+\s*|\s+")  # a word with the spaces after it

SectionChange = Literal["added", "removed", "changed", "unchanged"]
WordChange = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class WordRun:
    change: WordChange
    text: str


@dataclass(frozen=True)
class SectionDiff:
    anchor: str
    heading: str
    previous_heading: str
    change: SectionChange
    runs: list[WordRun] = field(default_factory=list)

    @property
    def heading_changed(self) -> bool:
        return self.change == "changed" and self.heading != self.previous_heading


def diff_words(before: str, after: str) -> list[WordRun]:
    """The runs of unchanged, inserted and deleted words turning `before` into `after`."""
    old, new = WORDS.findall(before), WORDS.findall(after)
    runs: list[WordRun] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation in ("delete", "replace"):
            runs.append(WordRun("delete", "".join(old[old_start:old_end])))
        if operation in ("insert", "replace"):
            runs.append(WordRun("insert", "".join(new[new_start:new_end])))
        if operation == "equal":
            runs.append(WordRun("equal", "".join(old[old_start:old_end])))
    return runs


def diff_versions(before: PolicyVersionPage, after: PolicyVersionPage) -> list[SectionDiff]:
    """Every section of either version, in the order of `after` (removed sections where
    they stood in `before`)."""
    old = {section["anchor"]: section for section in before.sections()}
    new = {section["anchor"]: section for section in after.sections()}
    order = _merged_order(list(old), list(new))
    result = []
    for anchor in order:
        if anchor not in old:
            section = new[anchor]
            result.append(
                SectionDiff(
                    anchor, section["heading"], "", "added", [WordRun("insert", section["text"])]
                )
            )
        elif anchor not in new:
            section = old[anchor]
            result.append(
                SectionDiff(
                    anchor, "", section["heading"], "removed", [WordRun("delete", section["text"])]
                )
            )
        else:
            runs = diff_words(old[anchor]["text"], new[anchor]["text"])
            same = all(run.change == "equal" for run in runs)
            same = same and old[anchor]["heading"] == new[anchor]["heading"]
            result.append(
                SectionDiff(
                    anchor,
                    new[anchor]["heading"],
                    old[anchor]["heading"],
                    "unchanged" if same else "changed",
                    runs,
                )
            )
    return result


def _merged_order(old: list[str], new: list[str]) -> list[str]:
    """`new`'s order, with each anchor found only in `old` placed after the anchor that
    preceded it there."""
    order = list(new)
    for index, anchor in enumerate(old):
        if anchor in order:
            continue
        previous = next((a for a in reversed(old[:index]) if a in order), None)
        order.insert(order.index(previous) + 1 if previous else 0, anchor)
    return order
