"""Open and close consultation rounds on their dates.

Once (`manage.py advance_rounds`): run it daily from cron or a systemd timer; with the
database task queue, the task `advance_rounds_daily` does it by itself.

Periodically (`manage.py advance_rounds --every SECONDS`): the scheduler `make run`
starts beside the development server (scripts/serve, decision 013). It advances the
rounds at once, then every SECONDS, until it is stopped — or until the process that
started it has gone, so that a server killed without its cleanup leaves no scheduler
behind.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from consultations.services.rounds import advance_due_rounds

# How often a waiting scheduler looks whether its parent is still there.
PARENT_CHECK_SECONDS = 2.0


class Command(BaseCommand):
    help = "Open the rounds whose opening day has come and close those whose deadline passed."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="keep running: advance the rounds now, then every SECONDS, until stopped",
        )

    def handle(self, *args, every: float | None = None, **options) -> None:
        if every is None:
            self.advance()
            return
        if every <= 0:
            raise CommandError("--every: give a number of seconds above 0.")
        parent = os.getppid()
        self.stdout.write(f"Rounds scheduler: opening and closing rounds every {every:g} s.")
        while True:
            self.advance(quiet=True)
            if not self._wait(every, parent):
                self.stdout.write("The process that started the scheduler has gone; stopping.")
                return

    def advance(self, quiet: bool = False) -> None:
        """One step: the service itself, in this process, whatever the task backend (the
        index updates it causes go through the configured one). `quiet`: say nothing
        when no round was due, as a scheduler beside a server's log should."""
        counts = advance_due_rounds()
        if not quiet or any(counts.values()):
            self.stdout.write(f"Opened {counts['opened']} round(s), closed {counts['closed']}.")

    def _wait(self, seconds: float, parent: int) -> bool:
        """Sleep `seconds`; False as soon as the parent process is no longer `parent`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, PARENT_CHECK_SECONDS))
            if os.getppid() != parent:
                return False
        return True
