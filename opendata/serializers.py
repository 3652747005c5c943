"""Field shapes every resource shares: a coded value with its label in the request's
language, a taxonomy term, a link to a record's public page, and the page envelope.

The serializers both render the answers and, through drf-spectacular, describe them,
so the description cannot drift from what is sent."""

from typing import Any

from django.db.models import Choices, Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class LabelledSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The stable code, as the filters take it.")
    label = serializers.CharField(help_text="The label in the answer's language.")


class TermSerializer(LabelledSerializer):
    """A taxonomy term (`organizations.models.taxonomy`): its code, its name in the
    answer's language and its parent's code (a sub-sector's sector, a region's
    province)."""

    parent = serializers.CharField(allow_null=True, help_text="The parent term's code.")

    def to_representation(self, term: Model) -> dict[str, Any]:
        return {
            "id": term.code,
            "label": term.name,
            "parent": term.parent.code if term.parent_id else None,
        }


@extend_schema_field(LabelledSerializer(allow_null=True))
class LabelledChoice(serializers.Field):
    """A choice field's value with its label (`{"id", "label"}`), or null when blank."""

    def __init__(self, choices: type[Choices], **kwargs: Any) -> None:
        self.choices_class = choices
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> dict[str, str] | None:
        if not value:
            return None
        return {"id": value, "label": str(self.choices_class(value).label)}

    def get_attribute(self, instance: Model) -> Any:
        return super().get_attribute(instance) or ""


@extend_schema_field({"type": "string", "format": "uri"})
class PublicPageField(serializers.Field):
    """The absolute address of the record's public page, in the answer's language (the
    site's `/fr/` pages for French)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, record: Model) -> str:
        url = record.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def page_serializer(resource_serializer: type[serializers.Serializer]) -> type:
    """The list envelope of a resource: `{"results", "next", "previous"}`."""
    name = resource_serializer.__name__.removesuffix("Serializer")
    return type(
        f"{name}PageSerializer",
        (serializers.Serializer,),
        {
            "results": resource_serializer(many=True),
            "next": serializers.URLField(
                allow_null=True, help_text="The next page; null on the last one."
            ),
            "previous": serializers.URLField(
                allow_null=True, help_text="The page before; null on the first one."
            ),
        },
    )
