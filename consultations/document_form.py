"""The admin's document form (`WAGTAILDOCS_DOCUMENT_FORM_BASE`): a file uploaded by
staff — an annex, a redacted copy of a brief's file, often a file that came from the
public — gets the same checks as the files of a brief sent through the public form."""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from .uploads import check_document


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            check_document(file)
        return file
