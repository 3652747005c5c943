"""Signals consultations sends for other parts to follow."""

from django.dispatch import Signal

# Sent with `round_page` after a round's state changed (inside the transaction). The
# state is written with a conditional update, which Django's `post_save` never sees.
round_state_changed = Signal()
