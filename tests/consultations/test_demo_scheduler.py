"""The scheduler `make run` starts beside the server (decision 013): it opens and closes
rounds on their dates through the real service and the configured task backend, and
Ctrl-C stops it with the server, leaving no process behind."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from concertation.management import periodic
from consultations.models import ConsultationRoundPage, RoundState
from consultations.services.rounds import change_round_state
from tests.consultations.test_rounds import add_round
from tests.factories import publish_policy_version

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def policy(home_page):
    return publish_policy_version(home_page, "Consultation document", "x").get_parent().specific


@pytest.mark.django_db
def test_the_scheduler_step_opens_a_round_on_its_day_and_stops_with_its_parent(
    policy, monkeypatch, capsys
):
    today = timezone.localdate()
    add_round(policy, "Opens today", opens_on=today, closes_on=today + 30 * DAY)
    add_round(policy, "Opens tomorrow", opens_on=today + DAY, closes_on=today + 30 * DAY)
    ended = add_round(policy, "Ended yesterday", opens_on=today - 30 * DAY, closes_on=today - DAY)
    change_round_state(ended, RoundState.OPEN)
    # The parent is there when the scheduler starts, and gone after its first step.
    parents = iter([4242, 1])
    monkeypatch.setattr(periodic.os, "getppid", lambda: next(parents, 1))

    call_command("advance_rounds", every=0.01)

    states = dict(ConsultationRoundPage.objects.values_list("title", "state"))
    assert states == {
        "Opens today": RoundState.OPEN,
        "Opens tomorrow": RoundState.PLANNED,
        "Ended yesterday": RoundState.CLOSED,
    }
    out = capsys.readouterr().out
    assert "Opened 1 round(s), closed 1." in out
    assert "has gone; stopping" in out


@pytest.mark.django_db
def test_a_scheduler_refuses_a_period_of_zero():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--every"):
        call_command("advance_rounds", every=0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _session_members(session: int) -> list[int]:
    """The live processes of the session `session` (from /proc): the script, and the
    jobs it starts in process groups of their own."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, session; a zombie is already gone.
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


# Transactional: the server's processes commit to the test database (the scheduler's
# marks, such as detection's), and what they wrote must be flushed after the test, not
# left for the tests that follow.
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    "stop",
    [
        # Ctrl-C: SIGINT to the terminal's foreground process group, the script's.
        pytest.param(lambda serve: os.killpg(serve.pid, signal.SIGINT), id="ctrl-c"),
        pytest.param(lambda serve: serve.terminate(), id="term"),
    ],
)
def test_stopping_make_run_stops_the_server_and_the_scheduler(tmp_path, stop):
    """`scripts/serve` as `make run` starts it, against the test database: stopped by
    Ctrl-C or a TERM, it leaves no process of its session behind."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the server needs a database another process can open")
    database = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        serve = subprocess.Popen(
            [str(ROOT / "scripts" / "serve"), "127.0.0.1", str(port)],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": database, "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    session = serve.pid
    try:

        def serving() -> bool:
            with socket.socket() as client:
                return client.connect_ex(("127.0.0.1", port)) == 0

        assert _wait_for(serving, 90), log_path.read_text()
        assert _wait_for(lambda: "Rounds scheduler" in log_path.read_text(), 30)
        # The script, the scheduler, the server's autoreloader and its child.
        assert len(_session_members(session)) >= 4

        stop(serve)
        serve.wait(timeout=30)

        assert _wait_for(lambda: not _session_members(session), 15), _session_members(session)
    finally:
        for pid in _session_members(session):
            os.kill(pid, signal.SIGKILL)
