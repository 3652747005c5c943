"""Public pages of the organization catalogue."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Organization

PAGE_SIZE = 25


def organization_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(Organization.objects.for_listing(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "organizations/organization_list.html", {"page_obj": page})


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.for_profile(), slug=slug)
    return render(request, "organizations/organization_detail.html", {"organization": organization})
