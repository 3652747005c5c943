"""Tell readers what happened: detect the happenings and saved searches' new matches,
queue the rounds' invitations and reminders, then send the e-mails that are due.

Once (`manage.py notify`): from cron or a systemd timer every few minutes; with the
database task queue, the task `follows.sending.notify_periodically` does it by itself.

Periodically (`manage.py notify --every SECONDS`): what `make run` starts beside the
development server (scripts/serve), like the rounds scheduler (decision 013): a pass at
once, then every SECONDS, until stopped or until the process that started it has gone.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError

# How often a waiting scheduler looks whether its parent is still there.
PARENT_CHECK_SECONDS = 2.0


class Command(BaseCommand):
    help = "Detect what happened to followed records, queue invitations, send due e-mails."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="keep running: a pass now, then every SECONDS, until stopped",
        )

    def handle(self, *args, every: float | None = None, **options) -> None:
        if every is None:
            self.run_pass()
            return
        if every <= 0:
            raise CommandError("--every: give a number of seconds above 0.")
        parent = os.getppid()
        self.stdout.write(f"Notifications: detecting and sending every {every:g} s.")
        while True:
            self.run_pass(quiet=True)
            if not self._wait(every, parent):
                self.stdout.write("The process that started the notifier has gone; stopping.")
                return

    def run_pass(self, quiet: bool = False) -> None:
        """One pass (`follows.sending.notify_once`); `quiet`: say nothing when nothing
        happened, as a scheduler beside a server's log should."""
        from follows.sending import notify_once

        counts = notify_once()
        if not quiet or any(counts.values()):
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))

    def _wait(self, seconds: float, parent: int) -> bool:
        """Sleep `seconds`; False as soon as the parent process is no longer `parent`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, PARENT_CHECK_SECONDS))
            if os.getppid() != parent:
                return False
        return True
