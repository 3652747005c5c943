"""Run the parsing of an untrusted file in a separate process with resource limits.

A file sent by the public may be built to exhaust whoever parses it: a zip bomb that
passes the container checks, a PDF whose objects expand without end. Parsing it in the
web or index worker would let one file take the worker's memory or time; in a
subprocess (`python -m search.extract_worker`) capped by RLIMIT_AS and RLIMIT_CPU and
killed after a wall-clock timeout, it costs at most those limits and fails alone.

Limits come from the settings (`EXTRACTION_MEMORY_MEGABYTES`, `EXTRACTION_CPU_SECONDS`,
`EXTRACTION_TIMEOUT_SECONDS`; the zip limits `DOCUMENT_MAX_*`), read at each call.
"""

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from .file_inspection import MEGABYTE, ArchiveLimits

# The folder holding the `search` package: the worker is started from it with `-m`.
SOURCE_ROOT = Path(__file__).resolve().parent.parent


class SandboxFailure(Exception):
    """The worker was killed by a limit, timed out or answered nothing usable."""


def archive_limits() -> ArchiveLimits:
    """The zip container limits from the settings."""
    return ArchiveLimits(
        max_members=settings.DOCUMENT_MAX_ZIP_MEMBERS,
        max_unzipped_bytes=settings.DOCUMENT_MAX_UNZIPPED_MEGABYTES * MEGABYTE,
        max_ratio=settings.DOCUMENT_MAX_COMPRESSION_RATIO,
    )


def run(
    task: str,
    content: bytes,
    extension: str,
    *,
    max_characters: int = 0,
    redactions: list[tuple[str, str]] | None = None,
) -> dict:
    """Ask a fresh worker to `inspect` the file, read its `text`, or make its
    `public_copy` without the passages of `redactions` ((passage, notice) pairs); its
    JSON answer. A public copy's bytes are in the answer's `copy`.

    Raises `SandboxFailure` when the worker dies (a memory or processor limit), runs
    past the timeout (it is killed) or answers nothing readable.
    """
    request = {
        "task": task,
        "extension": extension,
        "max_characters": max_characters,
        "redactions": redactions or [],
        "archive_limits": dataclasses.asdict(archive_limits()),
        "memory_bytes": settings.EXTRACTION_MEMORY_MEGABYTES * MEGABYTE,
        "cpu_seconds": settings.EXTRACTION_CPU_SECONDS,
    }
    timeout = settings.EXTRACTION_TIMEOUT_SECONDS
    try:
        finished = subprocess.run(
            # -E -s and a bare environment: the worker needs no setting, and a parser
            # exploited by a hostile file finds no secret (SECRET_KEY, DATABASE_URL) there.
            [sys.executable, "-E", "-s", "-m", "search.extract_worker"],
            input=json.dumps(request).encode() + b"\n" + content,
            capture_output=True,
            cwd=SOURCE_ROOT,
            env={"PATH": os.defpath, "LC_ALL": "C.UTF-8"},
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise SandboxFailure(f"killed after {timeout} s") from error
    if finished.returncode != 0:
        reason = finished.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise SandboxFailure(f"exit status {finished.returncode} {reason[0][:200]}".strip())
    # The answer is one JSON line; a public copy's bytes follow it.
    line, _newline, payload = finished.stdout.partition(b"\n")
    try:
        answer = json.loads(line)
    except ValueError as error:
        raise SandboxFailure("no answer") from error
    if "copy_length" in answer:
        if len(payload) != answer["copy_length"]:
            raise SandboxFailure("a truncated copy")
        answer["copy"] = payload
    return answer
