"""The states a round went through: one row a change, written by
`consultations.services.rounds.change_round_state` in the change's transaction.

A round's page keeps its current state and when it last changed (`state_changed_at`);
this keeps every change, so the open data can answer a round's story (opened, closed,
report, response, or abandoned and why). The rows belong to the round's record (the page
first recorded: its translations share its state, decision 011). A round's history
starts at its first change: a planned round that never changed has none, and a round
older than this table has one row, its state at the time (migration 0012).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .round import ConsultationRoundPage, RoundState


class RoundStateChange(models.Model):
    round = models.ForeignKey(
        ConsultationRoundPage,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="state_changes",
    )
    state = models.CharField(_("state"), max_length=20, choices=RoundState.choices)
    changed_at = models.DateTimeField(_("changed"))
    abandoned_reason = models.TextField(_("why it was abandoned"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("change of a round's state")
        verbose_name_plural = _("changes of rounds' states")
        indexes = [models.Index(fields=["round", "changed_at"], name="round_state_change_order")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.state} ({self.changed_at:%Y-%m-%d})"
