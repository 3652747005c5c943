"""Open and close consultation rounds on their dates.

Once (`manage.py advance_rounds`): run it daily from cron or a systemd timer; with the
database task queue, the task `advance_rounds_daily` does it by itself.

Periodically (`manage.py advance_rounds --every SECONDS`): the scheduler `make run`
starts beside the development server (scripts/serve, decision 013). It advances the
rounds at once, then every SECONDS, until it is stopped — or until the process that
started it has gone, so that a server killed without its cleanup leaves no scheduler
behind.
"""

from concertation.management.periodic import PeriodicCommand
from consultations.services.rounds import advance_due_rounds


class Command(PeriodicCommand):
    help = "Open the rounds whose opening day has come and close those whose deadline passed."
    every_help = "keep running: advance the rounds now, then every SECONDS, until stopped"
    started_message = "Rounds scheduler: opening and closing rounds every {every:g} s."
    stopped_message = "The process that started the scheduler has gone; stopping."

    def run_pass(self, quiet: bool = False) -> None:
        """One step: the service itself, in this process, whatever the task backend (the
        index updates it causes go through the configured one)."""
        counts = advance_due_rounds()
        if not quiet or any(counts.values()):
            self.stdout.write(f"Opened {counts['opened']} round(s), closed {counts['closed']}.")
