"""The build of the bulk downloads: every registered resource's public record (what an
anonymous visitor sees) as JSON Lines and CSV, in English and French, one zip per
resource with its data dictionary and the licence, then `manifest.json`.

**Streaming.** Records are read in chunks of `CHUNK_SIZE` by id (keyset, the API's own
cursor pages: `opendata.pagination.cursor_page`), each chunk rendered by the API's list
view (`represent`: the same serializer and `prepare`) once per language and appended to
the four member files on disk, then zipped from disk: memory holds one chunk, whatever
the record's size.

**Atomic.** Every new file is written under a temporary name (`.tmp-…`) in the downloads
folder itself; only once all are complete are they moved into place with `os.replace`
(atomic on one file system: a reader has the old file or the new one, and a download
already under way keeps reading the old one), and `manifest.json` last, the same way. A
build that fails half-way removes its temporary files and leaves the previous files
and manifest as they were. One build at a time (a lock file); a second one is refused.
"""

import contextlib
import csv
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from rest_framework.request import Request

from ..pagination import cursor_page
from ..resources import Resource, registry
from ..views import ResourceList
from .tables import dictionary, resource_columns, rows

MANIFEST = "manifest.json"
DICTIONARY = "dictionary.json"
LICENCE = "LICENCE.txt"
# Records read, rendered and written at a time.
CHUNK_SIZE = 500
# The languages of the files: the English set is the resource's own name, the French
# one `<name>.fr.jsonl` and `<name>.fr.csv`.
LANGUAGES = (("en", ""), ("fr", ".fr"))
TEMPORARY = ".tmp-"
LOCK = ".build.lock"
READ_BLOCK = 1 << 20
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"

Progress = Callable[[str, int], None]


class BuildRunning(RuntimeError):
    """Another build holds the downloads folder."""


def downloads_dir() -> Path:
    return Path(settings.OPEN_DATA_DOWNLOADS_DIR)


def read_manifest(directory: Path | None = None) -> dict[str, Any] | None:
    """The manifest of the last complete build, or None before the first one."""
    try:
        with open((directory or downloads_dir()) / MANIFEST, encoding="utf-8") as manifest:
            return json.load(manifest)
    except FileNotFoundError:
        return None


class PublicAddress(HttpRequest):
    """A request standing for the site's public address (`WAGTAILADMIN_BASE_URL`), so
    that the records' `url`s are absolute as in the API's answers. Its host is our own
    setting, not a client's header, so it is not checked against `ALLOWED_HOSTS`."""

    def __init__(self, base: str) -> None:
        super().__init__()
        parts = urlsplit(base)
        self._public_scheme = parts.scheme or "https"
        self._public_host = parts.netloc or "localhost"
        default_port = 443 if self._public_scheme == "https" else 80
        self.META = {
            "HTTP_HOST": self._public_host,
            "SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or default_port),
        }
        self.method = "GET"
        self.path = self.path_info = "/api/v1/"
        self.user = AnonymousUser()

    def _get_scheme(self) -> str:
        return self._public_scheme

    def get_host(self) -> str:
        return self._public_host


def public_request() -> Request:
    return Request(PublicAddress(settings.WAGTAILADMIN_BASE_URL), authenticators=())


def public_records(resource: Resource) -> QuerySet:
    """The records an anonymous visitor sees: the public record, never a token's view."""
    return resource.records(AnonymousUser())


def count_records() -> int:
    return sum(public_records(resource).count() for resource in registry)


def chunks(resource: Resource, size: int) -> Iterator[list]:
    """The resource's public records, `size` at a time by id (the API's cursor pages)."""
    records = public_records(resource)
    cursor = None
    while True:
        page = cursor_page(records, cursor, size)
        if page.records:
            yield page.records
        if page.next is None:
            return
        cursor = page.next


def write_members(
    resource: Resource, work: Path, request: Request, chunk_size: int, progress: Progress
) -> tuple[list[Path], int]:
    """Write `<name>.jsonl`, `<name>.csv` and their French twins into `work`, a chunk at a
    time; returns their paths and the number of records."""
    table = resource_columns(resource)
    view = ResourceList(resource=resource)
    paths: list[Path] = []
    count = 0
    with contextlib.ExitStack() as files:
        outputs = []
        for language, suffix in LANGUAGES:
            jsonl_path = work / f"{resource.name}{suffix}.jsonl"
            csv_path = work / f"{resource.name}{suffix}.csv"
            paths += [jsonl_path, csv_path]
            jsonl = files.enter_context(open(jsonl_path, "w", encoding="utf-8", newline="\n"))
            table_file = files.enter_context(open(csv_path, "w", encoding="utf-8", newline=""))
            writer = csv.writer(table_file)
            writer.writerow([column.name for column in table])
            outputs.append((language, jsonl, writer))
        for records in chunks(resource, chunk_size):
            for language, jsonl, writer in outputs:
                with translation.override(language):
                    data = view.represent(request, records, ())
                for record in data:
                    jsonl.write(json.dumps(record, ensure_ascii=False, cls=DjangoJSONEncoder))
                    jsonl.write("\n")
                writer.writerows(rows(table, data))
            count += len(records)
            progress(resource.name, len(records))
    return paths, count


def licence_text(built: datetime) -> str:
    """The licence notice: the one the operator declares for the open data
    (`GIVING360_LICENSE`, CC BY 4.0 by default), or that none is declared."""
    url = settings.GIVING360_LICENSE
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    day = built.date().isoformat()
    if not url:
        return (
            f"Concertation open data, {site}, built {day}.\n\n"
            "No licence is declared for this data (the setting GIVING360_LICENSE is "
            "empty): ask the publisher before reusing it.\n"
        )
    name = "Creative Commons Attribution 4.0 International (CC BY 4.0)" if url == CC_BY_4 else url
    return (
        f"Concertation open data, {site}, built {day}.\n\n"
        f"Licence: {name}\n{url}\n\n"
        "You may copy, redistribute and adapt it for any purpose, provided you give "
        "appropriate credit, link to the licence and say if you made changes, e.g.:\n"
        f"  Source: Concertation, {site}/api/v1/downloads/ ({day}).\n"
    )


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


@contextlib.contextmanager
def _temporary(directory: Path, name: str) -> Iterator[tuple[BinaryIO, Path]]:
    """A new file under a temporary name in `directory`, readable by all as a published
    file is (not `mkstemp`'s 0600), flushed to disk on the way out; removed if writing
    it fails."""
    fd, name_made = tempfile.mkstemp(prefix=f"{TEMPORARY}{name}-", dir=directory)
    path = Path(name_made)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as out:
            yield out, path
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write_temporary(directory: Path, name: str, content: bytes) -> Path:
    with _temporary(directory, name) as (out, path):
        out.write(content)
    return path


def _zip_temporary(directory: Path, resource: Resource, members: list[Path], licence: str) -> Path:
    with (
        _temporary(directory, f"{resource.name}.zip") as (raw, path),
        zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
    ):
        for member in members:
            zf.write(member, member.name)
        zf.writestr(f"{resource.name}.dictionary.json", _json_bytes(dictionary(resource)))
        zf.writestr(LICENCE, licence)
    return path


def file_entry(path: Path, name: str, built: datetime, **extra: Any) -> dict[str, Any]:
    """A manifest entry: name, build date, size in bytes and SHA-256 of the file."""
    digest = hashlib.sha256()
    with open(path, "rb") as content:
        while block := content.read(READ_BLOCK):
            digest.update(block)
    return {
        "name": name,
        **extra,
        "built": built.isoformat(),
        "size": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with open(directory / LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BuildRunning(f"a build of {directory} is already running") from error
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_temporaries(directory: Path) -> None:
    """What a build killed half-way left (only builds write `.tmp-` names, and this one
    holds the lock)."""
    for leftover in directory.glob(f"{TEMPORARY}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _no_progress(name: str, count: int) -> None:
    pass


def build(
    directory: Path | None = None,
    *,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress = _no_progress,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Build every file, then swap them in and write the manifest (module docstring);
    returns the manifest. `progress(resource, records)` is called after each chunk."""
    directory = directory or downloads_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        _remove_temporaries(directory)
        built = (now or timezone.now()).replace(microsecond=0)
        licence = licence_text(built)
        request = public_request()
        staged: list[tuple[Path, dict[str, Any]]] = []
        try:
            with tempfile.TemporaryDirectory(prefix=TEMPORARY, dir=directory) as work:
                for resource in registry:
                    members, count = write_members(
                        resource, Path(work), request, chunk_size, progress
                    )
                    path = _zip_temporary(directory, resource, members, licence)
                    name = f"{resource.name}.zip"
                    staged.append(
                        (path, file_entry(path, name, built, resource=resource.name, records=count))
                    )
                    for member in members:
                        member.unlink()
            everything = [dictionary(resource) for resource in registry]
            for name, content in (
                (DICTIONARY, _json_bytes({"resources": everything})),
                (LICENCE, licence.encode()),
            ):
                path = _write_temporary(directory, name, content)
                staged.append((path, file_entry(path, name, built)))
        except BaseException:
            for path, _entry in staged:
                path.unlink(missing_ok=True)
            raise
        previous = read_manifest(directory)
        for path, entry in staged:
            os.replace(path, directory / entry["name"])
        manifest = {
            "built": built.isoformat(),
            "licence": settings.GIVING360_LICENSE or None,
            "files": [entry for _path, entry in staged],
        }
        os.replace(
            _write_temporary(directory, MANIFEST, _json_bytes(manifest)), directory / MANIFEST
        )
        _forget_unlisted(directory, previous, manifest)
    return manifest


def _forget_unlisted(directory: Path, previous: dict | None, manifest: dict) -> None:
    """Remove the files of the previous build that this one no longer lists (a resource
    removed); nothing else of the folder is touched."""
    kept = {entry["name"] for entry in manifest["files"]}
    for entry in (previous or {}).get("files", []):
        name = entry.get("name", "")
        if name not in kept and name == Path(name).name:
            (directory / name).unlink(missing_ok=True)
