"""The admin's import screen: upload a CSV or XLSX file of organizations, check it (a dry
run, the default) or import it, and see every rejected row.

Only secretariat staff import: the screen and its menu item need the model permission
`organizations.add_organization` (an organization's editors, who hold object permissions
on their own organization only, are refused). The rules themselves live in
`organizations.importing`; this module only carries the file to them and shows the result.
"""

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .importing import import_file

IMPORT_PERMISSION = "organizations.add_organization"
# Uploads are read into memory and every row is checked in the request: this keeps a
# request short (a few thousand rows); larger files go through the command.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
URL_NAME = "organizations_import"


def user_may_import(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Importing creates organizations in bulk: the model-wide add permission, which
    secretariat staff hold through their group (it cannot be held on one object)."""
    return user.has_perm(IMPORT_PERMISSION)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8, comma or semicolon separated) or XLSX (the first sheet is read), "
            "at most 5 MB. The first row names the columns; name and kind are required."
        ),
        validators=[
            FileExtensionValidator(
                ["csv", "xlsx"],
                message=_("Choose a CSV (.csv) or Excel workbook (.xlsx) file."),
            )
        ],
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        help_text=_("Check every row and list the rejected ones, without saving anything."),
        required=False,
        initial=True,
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("This file is %(size)s; the limit is %(limit)s. Import it in parts."),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_UPLOAD_BYTES),
                },
            )
        return upload


class ImportView(WagtailAdminTemplateMixin, FormView):
    """Shows the upload form; on a valid upload, runs the import (or the dry run) and
    shows its result above a fresh form (dry run checked again, the safe default)."""

    form_class = ImportForm
    template_name = "organizations/admin/import.html"
    page_title = _("Import organizations")
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not user_may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        result = import_file(upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"])
        return self.render_to_response(
            self.get_context_data(
                form=ImportForm(),
                result=result,
                filename=upload.name,
                organizations_url=reverse("wagtailsnippets_organizations_organization:list"),
            )
        )


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_may_import(request.user)


@hooks.register("register_admin_urls")
def register_import_url() -> list:
    return [path("organizations/import/", ImportView.as_view(), name=URL_NAME)]


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Import organizations"),
        reverse(URL_NAME),
        name="import-organizations",
        icon_name="upload",
        order=8999,  # beside the Catalogue menu (8999, the default for viewset groups)
    )
