"""`python -m search.extract_worker`: parse one untrusted file under resource limits.

Started by `search.sandbox` for each file to inspect or read. It first limits its own
address space (RLIMIT_AS) and processor time (RLIMIT_CPU), then reads the request (a
JSON line) and the file's bytes from standard input, and writes one JSON answer to
standard output: `{"text": ...}`, `{"refusal": {"code": ..., "details": ...}}` or
`{"error": ...}`. A file that needs more memory or time than allowed makes the parser
fail or the kernel kill the process; the caller treats both as "unreadable". The worker
imports nothing from Django: it starts in a fraction of a second.
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


def answer(request: dict, content: bytes) -> dict:
    """Do what `request` asks of the file `content`."""
    limits = ArchiveLimits(**request["archive_limits"])
    stream = io.BytesIO(content)
    try:
        if request["task"] == "inspect":
            inspect(stream, request["extension"], limits)
            return {"refusal": None}
        return {"text": parse_text(stream, request["extension"], request["max_characters"], limits)}
    except Refusal as refusal:
        return {"refusal": {"code": refusal.code, "details": refusal.details}}
    except MemoryError:
        raise
    except Exception as error:  # any parser error on a public file means "unreadable"
        return {"error": repr(error)[:500]}


def main() -> None:
    request = json.loads(sys.stdin.buffer.readline())
    limit_resources(request["memory_bytes"], request["cpu_seconds"])
    content = sys.stdin.buffer.read()
    json.dump(answer(request, content), sys.stdout)


if __name__ == "__main__":
    main()
