"""Tell readers what happened: detect the happenings and saved searches' new matches,
queue the rounds' invitations and reminders, then send the e-mails that are due.

Once (`manage.py notify`): from cron or a systemd timer every few minutes; with the
database task queue, the task `follows.sending.notify_periodically` does it by itself.

Periodically (`manage.py notify --every SECONDS`): what `make run` starts beside the
development server (scripts/serve), like the rounds scheduler (decision 013): a pass at
once, then every SECONDS, until stopped or until the process that started it has gone.
"""

from concertation.management.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Detect what happened to followed records, queue invitations, send due e-mails."
    started_message = "Notifications: detecting and sending every {every:g} s."
    stopped_message = "The process that started the notifier has gone; stopping."

    def run_pass(self, quiet: bool = False) -> None:
        """One pass (`follows.sending.notify_once`)."""
        from follows.sending import notify_once

        counts = notify_once()
        if not quiet or any(counts.values()):
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
