"""File storages that give every stored file an unguessable name.

Wagtail stores a document as `documents/<uploaded name>`: anyone who knows or guesses the
name of a brief's file could fetch it if a web server ever served the media folder. The
storage puts each file in a folder named by 128 random bits (`documents/<32 hex>/<name>`),
so a stored name says nothing that leads to another; the file keeps its own name last,
which Wagtail shows and downloads under. Files are still served only by the documents
view, after the permission check (`consultations.permissions.documents`).
"""

import posixpath
import secrets

from django.core.files.storage import FileSystemStorage, InMemoryStorage


class UnguessableNamesMixin:
    def generate_filename(self, filename: str) -> str:
        directory, name = posixpath.split(filename)
        return super().generate_filename(posixpath.join(directory, secrets.token_hex(16), name))


class UnguessableFileSystemStorage(UnguessableNamesMixin, FileSystemStorage):
    pass


class UnguessableInMemoryStorage(UnguessableNamesMixin, InMemoryStorage):
    """The test suite's storage, with the same names as in production."""
