"""StreamField blocks for policy texts."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class SectionBlock(blocks.StructBlock):
    """One addressable section of a policy text: later versions and submissions point at
    it by its anchor."""

    anchor = blocks.CharBlock(
        label=_("anchor"),
        max_length=60,
        help_text=_("A short identifier for this section, e.g. 2.1 or autonomy-criteria."),
    )
    heading = blocks.CharBlock(label=_("heading"), max_length=255)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "consultations/blocks/section.html"


POLICY_TEXT_BLOCKS = [("section", SectionBlock())]
