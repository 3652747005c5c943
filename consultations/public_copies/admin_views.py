"""The admin screen of a brief's files, for the stewards of its round: each file's public
copy and whether it is published or waits (and why), the form that replaces a waiting
copy with one staff redacted by hand, and where the brief's public text names the
submitting organization, to redact it before an anonymous brief is published."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..mentions import organization_mentions
from ..models import Publication, PublicCopy, Submission
from ..permissions.stewardship import manages_round
from .service import supply_public_copy

URL_NAME = "consultations_submission_files"


class StaffCopyForm(forms.Form):
    attachment = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("A copy you redacted"))


class SubmissionFilesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "consultations/admin/submission_files.html"
    page_title = _("Files and public copies")
    header_icon = "doc-full-inverse"

    def dispatch(self, request: HttpRequest, *args, pk: int, **kwargs) -> HttpResponse:
        self.submission = get_object_or_404(
            Submission.objects.select_related("organization", "round"), pk=pk
        )
        if not manages_round(request.user, self.submission.round):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.submission.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def files(self, failed: dict | None = None) -> list[dict]:
        rows = []
        for number, attached in enumerate(
            self.submission.documents.select_related("document").order_by("pk"), start=1
        ):
            copy = PublicCopy.objects.filter(attachment=attached).select_related("document").first()
            form = (failed or {}).get(attached.pk) or StaffCopyForm(
                initial={"attachment": attached.pk}
            )
            rows.append({"number": number, "attached": attached, "copy": copy, "form": form})
        return rows

    def get_context_data(self, failed: dict | None = None, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "submission": self.submission,
            "anonymous": self.submission.publication == Publication.ANONYMOUS,
            "files": self.files(failed),
            "mentions": organization_mentions(self.submission),
        }

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = StaffCopyForm(request.POST, request.FILES)
        attachment = None
        if form.is_valid():
            attachment = self.submission.documents.filter(
                pk=form.cleaned_data["attachment"]
            ).first()
        if attachment is None:
            messages.error(request, _("Choose a file of this brief and the copy to upload."))
            return redirect(reverse(URL_NAME, args=[self.submission.pk]))
        try:
            supply_public_copy(attachment, form.cleaned_data["file"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("file", error)
            context = self.get_context_data(failed={attachment.pk: form})
            return self.render_to_response(context, status=400)
        messages.success(request, _("The redacted copy is published with the brief."))
        return redirect(reverse(URL_NAME, args=[self.submission.pk]))
