"""What rebuilds a brief's public copies: a file added or removed, a redaction written
or deleted, the publication changed. A change that could put a passage or a name back is
also withheld at once (`mark_pending`), in the same transaction, until the rebuild."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from ..models import PublicCopy, Redaction, Submission, SubmissionDocument
from .service import mark_pending
from .tasks import enqueue_build


@receiver([post_save, post_delete], sender=Redaction, dispatch_uid="public_copies.redaction")
def rebuild_after_redaction(sender, instance: Redaction, **kwargs) -> None:
    mark_pending(instance.submission_id)
    enqueue_build(instance.submission_id)


@receiver(post_save, sender=SubmissionDocument, dispatch_uid="public_copies.attachment")
def build_for_new_file(sender, instance: SubmissionDocument, created: bool, **kwargs) -> None:
    enqueue_build(instance.submission_id)


@receiver(post_delete, sender=SubmissionDocument, dispatch_uid="public_copies.detached")
def renumber_after_removal(sender, instance: SubmissionDocument, **kwargs) -> None:
    # The remaining files' neutral names count from 1.
    enqueue_build(instance.submission_id)


@receiver(post_delete, sender=PublicCopy, dispatch_uid="public_copies.deleted")
def delete_copy_document(sender, instance: PublicCopy, **kwargs) -> None:
    """A copy goes with its file (Wagtail then deletes the stored file)."""
    if instance.document_id is not None:
        from wagtail.documents import get_document_model

        get_document_model().objects.filter(pk=instance.document_id).delete()


@receiver(pre_save, sender=Submission, dispatch_uid="public_copies.publication_before")
def remember_publication(sender, instance: Submission, **kwargs) -> None:
    instance._publication_before = (
        Submission.objects.filter(pk=instance.pk).values_list("publication", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Submission, dispatch_uid="public_copies.publication")
def rebuild_after_publication_change(sender, instance: Submission, created: bool, **kwargs) -> None:
    """Named or anonymous decides the copies' titles: a copy titled by its author must
    not stay up once the brief is anonymous."""
    before = getattr(instance, "_publication_before", None)
    if not created and before is not None and before != instance.publication:
        mark_pending(instance.pk)
        enqueue_build(instance.pk)
