"""Open and close consultation rounds on their dates. Run it daily (cron, a systemd
timer); with the database task queue, `schedule_round_advances` does it by itself."""

from django.core.management.base import BaseCommand

from consultations.services.rounds import advance_due_rounds


class Command(BaseCommand):
    help = "Open the rounds whose opening day has come and close those whose deadline passed."

    def handle(self, *args, **options) -> None:
        counts = advance_due_rounds()
        self.stdout.write(f"Opened {counts['opened']} round(s), closed {counts['closed']}.")
