"""Connects model and page events to index updates.

Plain models are synced on every save and delete: one small row in the outbox, in the
saving transaction (`search.tasks.enqueue_sync`). The records of other kinds that show
an indexed row (an organization's name in its briefs) are found by the worker when it
syncs that row, and only when what they show changed (`search.dependents`). Pages are
synced on Wagtail's publish, unpublish and move events, never on a draft save, so
drafts never reach the index; the task itself re-checks that the page is live. A view
restriction (privacy) added to, changed on or removed from a page, or a change of the
groups it lets in, re-syncs the indexed pages at and under it: their documents' readers
follow it (`search.readers`). Records that are not pages but follow one (a round's
submissions) are re-synced with it (`SearchableModel.pks_following_page`).
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .registry import registry
from .tasks import enqueue_sync, enqueue_sync_many


def _sync_instance(instance: Any) -> None:
    searchable = registry.for_model(type(instance))
    if searchable is not None:
        enqueue_sync(searchable.kind, instance.pk)


def on_model_saved_or_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    _sync_instance(instance)


def on_many_to_many_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _sync_instance(instance)


def on_dependency_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    """A row shown in other records' documents changed, and it is not indexed itself:
    re-sync those records. (An indexed row, an organization, records only its own change:
    its sync finds the records that show it, when what they show changed —
    `search.dependents`.)"""
    for searchable in registry:
        if isinstance(instance, searchable.depends_on):
            enqueue_sync_many(searchable.kind, searchable.pks_depending_on(instance))


def on_page_event(sender: type, instance: Any, **kwargs: Any) -> None:
    """A page was published or unpublished: re-sync it, and the records of other kinds
    whose visibility follows it (the submissions of a round)."""
    _sync_instance(instance.specific_deferred)
    for searchable in registry:
        if not searchable.is_page:
            pks = searchable.pks_following_page(instance)
            if pks is not None:
                enqueue_sync_many(searchable.kind, pks)


def on_page_moved(sender: type, instance: Any, **kwargs: Any) -> None:
    """A move changes the URL of the page and of everything under it."""
    for page in instance.get_descendants(inclusive=True).live().specific():
        _sync_instance(page)


def on_view_restriction_changed(sender: type, instance: PageViewRestriction, **kwargs: Any) -> None:
    """A page became private, or public again, or its privacy changed: re-sync the
    published, indexed pages in its section (the page and its descendants)."""
    # Fetched by key: when the restriction goes because its page is being deleted, the
    # page row is still there (the cascade deletes the restriction first) but may no
    # longer be cached on the instance.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    for searchable in registry:
        pks = searchable.pks_following_page(page)
        if pks is not None:
            enqueue_sync_many(searchable.kind, pks)


def on_restriction_groups_changed(
    sender: type, instance: Any, action: str, reverse: bool, **kwargs: Any
) -> None:
    """The groups a restriction lets in changed (the admin saves them after the
    restriction itself): the readers of its pages changed."""
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        on_view_restriction_changed(sender, instance)


def connect() -> None:
    for searchable in registry:
        if searchable.is_page:
            post_delete.connect(on_model_saved_or_deleted, sender=searchable.model)
        else:
            post_save.connect(on_model_saved_or_deleted, sender=searchable.model)
            post_delete.connect(on_model_saved_or_deleted, sender=searchable.model)
        for field in searchable.many_to_many_fields:
            through = getattr(searchable.model, field).through
            m2m_changed.connect(on_many_to_many_changed, sender=through)
    for model in {model for searchable in registry for model in searchable.depends_on}:
        if registry.for_model(model) is None:
            post_save.connect(on_dependency_saved, sender=model)
    page_published.connect(on_page_event)
    page_unpublished.connect(on_page_event)
    post_page_move.connect(on_page_moved)
    post_save.connect(on_view_restriction_changed, sender=PageViewRestriction)
    post_delete.connect(on_view_restriction_changed, sender=PageViewRestriction)
    m2m_changed.connect(on_restriction_groups_changed, sender=PageViewRestriction.groups.through)
