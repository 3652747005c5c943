"""`python -m search.extract_worker`: parse one untrusted file under resource limits.

Started by `search.sandbox` for each file to inspect, read or copy. It first limits its
own address space (RLIMIT_AS) and processor time (RLIMIT_CPU), then reads the request (a
JSON line) and the file's bytes from standard input, and writes one JSON answer line to
standard output: `{"text": ...}`, `{"refusal": {"code": ..., "details": ...}}` or
`{"error": ...}`. The `public_copy` task (`consultations.public_copies.rewrite`) answers
`{"text": ..., "copy_length": n}` followed by the copy's n bytes. A file that needs more
memory or time than allowed makes the parser fail or the kernel kill the process; the
caller treats both as "unreadable". The worker imports nothing from Django: it starts in
a fraction of a second.
"""

import io
import json
import resource
import sys

from .file_inspection import ArchiveLimits, Refusal, inspect
from .text_parsers import parse_text


def limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    """Cap this process: beyond `memory_bytes` allocations fail (MemoryError, or the
    parser's own failure); beyond `cpu_seconds` the kernel kills it (SIGXCPU, then
    SIGKILL a second later)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def answer(request: dict, content: bytes) -> tuple[dict, bytes]:
    """Do what `request` asks of the file `content`: the answer, and the bytes that
    follow it (a public copy; empty for the other tasks)."""
    limits = ArchiveLimits(**request["archive_limits"])
    stream = io.BytesIO(content)
    extension = request["extension"]
    try:
        if request["task"] == "inspect":
            inspect(stream, extension, limits)
            return {"refusal": None}, b""
        if request["task"] == "public_copy":
            # Imported here: PyMuPDF and pikepdf load only in the workers that need them.
            from consultations.public_copies.rewrite import rewrite

            redactions = [(passage, notice) for passage, notice in request["redactions"]]
            copy = rewrite(content, extension, redactions, limits, request["max_characters"])
            return {"text": copy.text, "copy_length": len(copy.content)}, copy.content
        return {"text": parse_text(stream, extension, request["max_characters"], limits)}, b""
    except Refusal as refusal:
        return {"refusal": {"code": refusal.code, "details": refusal.details}}, b""
    except MemoryError:
        raise
    except Exception as error:  # any parser error on a public file means "unreadable"
        return {"error": repr(error)[:500]}, b""


def main() -> None:
    request = json.loads(sys.stdin.buffer.readline())
    limit_resources(request["memory_bytes"], request["cpu_seconds"])
    content = sys.stdin.buffer.read()
    reply, payload = answer(request, content)
    # One JSON line (json.dumps escapes every newline), then the raw payload.
    sys.stdout.buffer.write(json.dumps(reply).encode() + b"\n" + payload)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
