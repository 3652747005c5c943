"""A command that runs once, or every `--every SECONDS` beside the development server
(scripts/serve, decision 013) until stopped or until the process that started it has
gone, so that a server killed without its cleanup leaves no scheduler behind."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

# How often a waiting scheduler looks whether its parent is still there.
PARENT_CHECK_SECONDS = 2.0


class PeriodicCommand(BaseCommand):
    """Subclasses give `run_pass(quiet)` and the messages said on starting and stopping."""

    every_help = "keep running: a pass now, then every SECONDS, until stopped"
    started_message = "Running every {every:g} s."
    stopped_message = "The process that started it has gone; stopping."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=float, metavar="SECONDS", help=self.every_help)

    def handle(self, *args, every: float | None = None, **options) -> None:
        if every is None:
            self.run_pass()
            return
        if every <= 0:
            raise CommandError("--every: give a number of seconds above 0.")
        parent = os.getppid()
        self.stdout.write(self.started_message.format(every=every))
        while True:
            self.run_pass(quiet=True)
            if not self._wait(every, parent):
                self.stdout.write(self.stopped_message)
                return

    def run_pass(self, quiet: bool = False) -> None:
        """One pass; `quiet`: say nothing when nothing happened, as a scheduler beside a
        server's log should."""
        raise NotImplementedError

    def _wait(self, seconds: float, parent: int) -> bool:
        """Sleep `seconds`; False as soon as the parent process is no longer `parent`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, PARENT_CHECK_SECONDS))
            if os.getppid() != parent:
                return False
        return True
