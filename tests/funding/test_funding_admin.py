"""Funding in the admin: the secretariat keeps programmes and budgets; the finance staff
given a programme record its allocations, through `record_allocation`, and nothing of
another programme; an organization's editors record its service load. Each rule has an
allow and a deny test, through the real admin URLs."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from organizations.funding.models import Allocation, Programme, ProgrammeBudget, ServiceLoad
from organizations.funding.permissions import grant_programme, manages_programme
from organizations.funding.services import record_allocation
from organizations.models import OrganizationKind
from organizations.permissions import grant_editor
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SNIPPETS = "/admin/snippets/organizations"
PROGRAMMES = f"{SNIPPETS}/programme/"
BUDGETS = f"{SNIPPETS}/programmebudget/"
ALLOCATIONS = f"{SNIPPETS}/allocation/"
LOADS = f"{SNIPPETS}/serviceload/"
ALLOCATION_CHOOSER = "/admin/snippets/choose/organizations/allocation/"


def status_url(allocation: Allocation) -> str:
    return f"/admin/organizations/allocations/{allocation.pk}/status/"


def assert_refused(response) -> None:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def listed(client, url: str, **filters) -> list:
    response = client.get(url, filters)
    assert response.status_code == 200
    return list(response.context["object_list"])


def staff_user(username: str, *codenames: str):
    """An admin user holding `codenames` (model permissions) through a group."""
    user = UserFactory(username=username)
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="funding", codename__in=codenames),
    )
    user.groups.add(group)
    return user


# Data --------------------------------------------------------------------------------


@pytest.fixture
def funder():
    return OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="Ministry")


def make_programme(funder, name: str, slug: str, budget: int) -> Programme:
    programme = Programme.objects.create(
        name=name,
        slug=slug,
        funder=funder,
        mode="global_mission",
        first_fiscal_year=2000,
        last_fiscal_year=2005,
    )
    ProgrammeBudget.objects.create(programme=programme, fiscal_year=2001, amount=Decimal(budget))
    return programme


@pytest.fixture
def programme_a(funder):
    return make_programme(funder, "Global mission support", "global-mission", 100_000)


@pytest.fixture
def programme_b(funder):
    return make_programme(funder, "Youth projects", "youth-projects", 50_000)


@pytest.fixture
def finance_a(programme_a):
    user = UserFactory(username="finance-a")
    grant_programme(user, programme_a)
    return user


@pytest.fixture
def finance_b(programme_b):
    user = UserFactory(username="finance-b")
    grant_programme(user, programme_b)
    return user


@pytest.fixture
def secretariat():
    return staff_user("secretariat", "add_programme", "change_programme")


@pytest.fixture
def organization():
    return OrganizationFactory(name="Neighbourhood food bank")


@pytest.fixture
def other_organization():
    return OrganizationFactory(name="Tenants' association")


@pytest.fixture
def editor(organization):
    user = UserFactory(username="food-bank-editor")
    grant_editor(user, organization)
    return user


def allocate(user, programme, organization, amount=10_000, status="draft", **fields):
    return record_allocation(
        user,
        organization=organization,
        programme=programme,
        fiscal_year=fields.pop("fiscal_year", 2001),
        amount=Decimal(amount),
        status=status,
        **fields,
    )


def allocation_form(programme, organization, **changes) -> dict:
    return {
        "organization": organization.pk,
        "programme": programme.pk,
        "fiscal_year": "2001",
        "amount": "10000",
        "mode": "",
        "origin": "new",
        "reallocated_from_programme": "",
        "reallocated_from_sector": "",
        "starts_on": "",
        "ends_on": "",
        "status": "draft",
        "notes": "",
        **changes,
    }


def allocation_changes(allocation: Allocation, **changes) -> dict:
    """The edit form as the browser posts it, with `changes`."""
    return {
        **allocation_form(allocation.programme, allocation.organization),
        "amount": str(allocation.amount),
        "status": allocation.status,
        "notes": allocation.notes,
        **changes,
    }


def programme_form(funder, **changes) -> dict:
    return {
        "name": "Service agreements",
        "slug": "service-agreements",
        "funder": funder.pk,
        "mode": "service_agreement",
        "first_fiscal_year": "2002",
        "last_fiscal_year": "",
        "description": "",
        **changes,
    }


def budget_form(programme, **changes) -> dict:
    return {"programme": programme.pk, "fiscal_year": "2002", "amount": "80000", **changes}


def load_form(organization, **changes) -> dict:
    return {
        "organization": organization.pk,
        "fiscal_year": "2001",
        "people_served": "420",
        "service_hours": "3100",
        "waiting_list": "35",
        **changes,
    }


# Allocations: finance staff of their programme ---------------------------------------


def test_finance_staff_list_and_filter_their_programmes_allocations_only(
    client, finance_a, finance_b, programme_a, programme_b, organization
):
    ProgrammeBudget.objects.create(programme=programme_a, fiscal_year=2002, amount=1_000)
    ours = allocate(finance_a, programme_a, organization)
    approved = allocate(finance_a, programme_a, organization, status="approved")
    later = allocate(finance_a, programme_a, organization, amount=500, fiscal_year=2002)
    allocate(finance_b, programme_b, organization)
    client.force_login(finance_a)

    assert set(listed(client, ALLOCATIONS)) == {ours, approved, later}
    assert listed(client, ALLOCATIONS, status="approved") == [approved]
    assert set(listed(client, ALLOCATIONS, programme=programme_a.pk, fiscal_year=2001)) == {
        ours,
        approved,
    }
    assert listed(client, ALLOCATIONS, fiscal_year=2002) == [later]
    assert listed(client, ALLOCATIONS, origin="reallocated") == []
    # Another programme is no choice: the filter is ignored, the listing stays theirs.
    assert set(listed(client, ALLOCATIONS, programme=programme_b.pk)) == {ours, approved, later}


def test_finance_staff_add_an_allocation_through_the_service(
    client, finance_a, programme_a, organization
):
    client.force_login(finance_a)

    form = client.get(f"{ALLOCATIONS}add/").context["form"]
    assert list(form.fields["programme"].queryset) == [programme_a]
    response = client.post(f"{ALLOCATIONS}add/", allocation_form(programme_a, organization))

    assert response.status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.programme, allocation.amount) == (programme_a, Decimal(10_000))
    assert allocation.recorded_by == finance_a  # set by record_allocation
    assert allocation.mode == programme_a.mode  # the service's default for an empty mode
    assert allocation.status == "draft"


def test_finance_staff_edit_and_approve_their_allocation(
    client, finance_a, programme_a, organization
):
    allocation = allocate(finance_a, programme_a, organization)
    client.force_login(finance_a)
    edit = f"{ALLOCATIONS}edit/{allocation.pk}/"

    assert client.get(edit).status_code == 200
    response = client.post(edit, allocation_changes(allocation, amount="25000", status="approved"))

    assert response.status_code == 302
    allocation.refresh_from_db()
    assert (allocation.amount, allocation.status) == (Decimal(25_000), "approved")


def test_finance_staff_cannot_open_change_or_delete_another_programmes_allocation(
    client, finance_a, finance_b, programme_b, organization
):
    theirs = allocate(finance_b, programme_b, organization)
    client.force_login(finance_a)
    edit = f"{ALLOCATIONS}edit/{theirs.pk}/"

    assert_refused(client.get(edit))
    assert_refused(client.post(edit, allocation_changes(theirs, amount="1")))
    assert_refused(client.post(f"{ALLOCATIONS}delete/{theirs.pk}/"))
    assert_refused(client.get(f"{ALLOCATIONS}history/{theirs.pk}/"))
    assert_refused(client.post(status_url(theirs), {"status": "approved"}))
    theirs.refresh_from_db()
    assert (theirs.amount, theirs.status) == (Decimal(10_000), "draft")


def test_choosing_a_programme_one_does_not_manage_is_refused_naming_programme(
    client, finance_a, programme_a, programme_b, organization
):
    ours = allocate(finance_a, programme_a, organization)
    client.force_login(finance_a)

    response = client.post(f"{ALLOCATIONS}add/", allocation_form(programme_b, organization))
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors

    response = client.post(
        f"{ALLOCATIONS}edit/{ours.pk}/", allocation_changes(ours, programme=programme_b.pk)
    )
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    assert list(Allocation.objects.values_list("programme", flat=True)) == [programme_a.pk]


def test_the_allocation_chooser_offers_only_the_programmes_allocations(
    client, finance_a, finance_b, programme_a, programme_b, organization
):
    ours = allocate(finance_a, programme_a, organization)
    theirs = allocate(finance_b, programme_b, organization, notes="Secret draft")
    client.force_login(finance_a)

    response = client.get(ALLOCATION_CHOOSER)

    assert response.status_code == 200
    assert list(response.context["results"]) == [ours]
    assert client.get(f"{ALLOCATION_CHOOSER}chosen/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "named", "message"),
    [
        ({"amount": "-5"}, "amount", "more than zero"),
        ({"fiscal_year": "1999"}, "fiscal_year", "does not run in 1999"),
        ({"amount": "100001", "status": "approved"}, "amount", "exceed the budget"),
    ],
)
def test_bad_input_in_the_admin_form_names_the_field_and_saves_nothing(
    client, finance_a, programme_a, organization, changes, named, message
):
    client.force_login(finance_a)

    response = client.post(
        f"{ALLOCATIONS}add/", allocation_form(programme_a, organization, **changes)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert named in errors
    assert message in " ".join(errors[named])
    assert message in response.content.decode()
    assert not Allocation.objects.exists()


def test_an_over_budget_approval_of_a_draft_leaves_it_a_draft(
    client, finance_a, programme_a, organization, other_organization
):
    allocate(finance_a, programme_a, other_organization, amount=90_000, status="approved")
    draft = allocate(finance_a, programme_a, organization, amount=20_000)
    client.force_login(finance_a)

    response = client.post(
        f"{ALLOCATIONS}edit/{draft.pk}/",
        allocation_changes(draft, status="approved", notes="Changed"),
    )

    assert response.status_code == 200
    # What remains, as money in the visitor's language ("$10,000.00 of its $100,000.00",
    # never "10000.00 $ remain of 100000.00 $").
    assert "$10,000.00 of its $100,000.00 remain." in " ".join(
        response.context["form"].errors["amount"]
    )
    draft.refresh_from_db()
    assert (draft.status, draft.notes) == ("draft", "")


def test_the_status_action_approves_then_publishes(client, finance_a, programme_a, organization):
    allocation = allocate(finance_a, programme_a, organization)
    client.force_login(finance_a)

    assert "Approve" in client.get(ALLOCATIONS).content.decode()
    page = client.get(status_url(allocation))
    assert page.status_code == 200
    assert "Once approved, $90,000.00 remain." in " ".join(page.content.decode().split())
    assert client.post(status_url(allocation), {"status": "approved"}).status_code == 302
    allocation.refresh_from_db()
    assert allocation.status == "approved"

    assert client.post(status_url(allocation), {"status": "published"}).status_code == 302
    allocation.refresh_from_db()
    assert allocation.status == "published"


def test_the_status_action_refuses_an_approval_over_the_budget(
    client, finance_a, programme_a, organization, other_organization
):
    allocate(finance_a, programme_a, other_organization, amount=95_000, status="approved")
    draft = allocate(finance_a, programme_a, organization, amount=10_000)
    client.force_login(finance_a)

    response = client.post(status_url(draft), {"status": "approved"})

    assert response.status_code == 200
    assert "exceed the budget" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_only_a_draft_is_deleted(client, finance_a, programme_a, organization):
    draft = allocate(finance_a, programme_a, organization)
    approved = allocate(finance_a, programme_a, organization, status="approved")
    client.force_login(finance_a)

    assert_refused(client.post(f"{ALLOCATIONS}delete/{approved.pk}/"))
    assert client.post(f"{ALLOCATIONS}delete/{draft.pk}/").status_code == 302
    assert list(Allocation.objects.all()) == [approved]


def test_an_organization_editor_cannot_reach_the_allocations(
    client, editor, finance_a, programme_a, organization
):
    """Not even their own organization's: the admin's allocations are the finance
    staff's records, drafts included (the public pages show editors their approved ones)."""
    allocation = allocate(finance_a, programme_a, organization, status="approved")
    client.force_login(editor)

    assert_refused(client.get(ALLOCATIONS))
    assert_refused(client.get(f"{ALLOCATIONS}add/"))
    assert_refused(client.post(f"{ALLOCATIONS}add/", allocation_form(programme_a, organization)))
    assert_refused(client.get(f"{ALLOCATIONS}edit/{allocation.pk}/"))
    assert_refused(client.get(status_url(allocation)))
    assert client.get(ALLOCATION_CHOOSER).context["results"].paginator.count == 0
    assert Allocation.objects.count() == 1


def test_managing_programmes_is_not_recording_their_allocations(client, secretariat, programme_a):
    """`change_programme` keeps programmes and budgets; it gives no allocation."""
    client.force_login(secretariat)

    assert not manages_programme(secretariat, programme_a)
    assert_refused(client.get(ALLOCATIONS))


# Programmes and budgets: the secretariat ---------------------------------------------


def test_the_secretariat_creates_and_edits_programmes_and_budgets(client, secretariat, funder):
    client.force_login(secretariat)

    assert client.post(f"{PROGRAMMES}add/", programme_form(funder)).status_code == 302
    programme = Programme.objects.get(slug="service-agreements")
    response = client.post(
        f"{PROGRAMMES}edit/{programme.pk}/", programme_form(funder, description="Renewed")
    )
    assert response.status_code == 302
    assert client.post(f"{BUDGETS}add/", budget_form(programme)).status_code == 302
    budget = ProgrammeBudget.objects.get(programme=programme)
    response = client.post(f"{BUDGETS}edit/{budget.pk}/", budget_form(programme, amount="90000"))

    assert response.status_code == 302
    programme.refresh_from_db()
    budget.refresh_from_db()
    assert (programme.description, budget.amount) == ("Renewed", Decimal(90_000))
    assert f"{BUDGETS}?programme={programme.pk}" in client.get(PROGRAMMES).content.decode()


def test_finance_staff_view_their_programme_and_its_budgets_but_change_nothing(
    client, finance_a, programme_a, programme_b, funder
):
    client.force_login(finance_a)
    budget = programme_a.budgets.get()

    assert listed(client, PROGRAMMES) == [programme_a]
    assert client.get(f"{PROGRAMMES}inspect/{programme_a.pk}/").status_code == 200
    assert listed(client, BUDGETS) == [budget]
    assert client.get(f"{BUDGETS}inspect/{budget.pk}/").status_code == 200

    assert_refused(client.get(f"{PROGRAMMES}inspect/{programme_b.pk}/"))
    assert_refused(client.get(f"{BUDGETS}inspect/{programme_b.budgets.get().pk}/"))
    assert_refused(client.get(f"{PROGRAMMES}edit/{programme_a.pk}/"))
    assert_refused(
        client.post(f"{PROGRAMMES}edit/{programme_a.pk}/", programme_form(funder, name="Taken"))
    )
    assert_refused(client.post(f"{PROGRAMMES}add/", programme_form(funder)))
    assert_refused(client.post(f"{BUDGETS}edit/{budget.pk}/", budget_form(programme_a)))
    assert_refused(client.post(f"{BUDGETS}add/", budget_form(programme_a)))
    programme_a.refresh_from_db()
    budget.refresh_from_db()
    assert (programme_a.name, budget.amount) == ("Global mission support", Decimal(100_000))
    assert not Programme.objects.filter(slug="service-agreements").exists()


def test_the_budget_listing_shows_what_is_committed_and_what_remains(
    client, finance_a, programme_a, organization
):
    allocate(finance_a, programme_a, organization, amount=30_000, status="approved")
    allocate(finance_a, programme_a, organization, amount=5_000)  # a draft: not counted
    client.force_login(finance_a)

    (budget,) = listed(client, BUDGETS)

    assert (budget.committed, budget.amount - budget.committed) == (30_000, 70_000)


def test_an_organization_editor_sees_no_programme(client, editor, programme_a):
    client.force_login(editor)

    assert_refused(client.get(PROGRAMMES))
    assert_refused(client.get(BUDGETS))


def test_a_budget_is_refused_below_what_is_committed_or_outside_the_programme(
    client, secretariat, finance_a, programme_a, organization
):
    allocate(finance_a, programme_a, organization, amount=60_000, status="approved")
    budget = programme_a.budgets.get()
    client.force_login(secretariat)

    response = client.post(
        f"{BUDGETS}edit/{budget.pk}/", budget_form(programme_a, fiscal_year="2001", amount="50000")
    )
    assert response.status_code == 200
    assert "60000" in " ".join(response.context["form"].errors["amount"]).replace(",", "")

    response = client.post(f"{BUDGETS}add/", budget_form(programme_a, fiscal_year="2009"))
    assert response.status_code == 200
    assert "fiscal_year" in response.context["form"].errors

    response = client.post(f"{BUDGETS}add/", budget_form(programme_a, amount="-1"))
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors

    assert_refused(client.post(f"{BUDGETS}delete/{budget.pk}/"))  # allocations use it
    budget.refresh_from_db()
    assert budget.amount == Decimal(100_000)
    assert programme_a.budgets.count() == 1


def test_a_programme_cannot_be_narrowed_past_its_budgets(client, secretariat, programme_a, funder):
    client.force_login(secretariat)

    response = client.post(
        f"{PROGRAMMES}edit/{programme_a.pk}/",
        programme_form(
            funder,
            name=programme_a.name,
            slug=programme_a.slug,
            mode=programme_a.mode,
            first_fiscal_year="2002",
        ),
    )

    assert response.status_code == 200
    assert "first_fiscal_year" in response.context["form"].errors
    programme_a.refresh_from_db()
    assert programme_a.first_fiscal_year == 2000


# Service loads: the organization's editors -------------------------------------------


def test_an_editor_records_and_corrects_their_organizations_service_load(
    client, editor, organization, other_organization
):
    ServiceLoad.objects.create(organization=other_organization, fiscal_year=2001, people_served=9)
    client.force_login(editor)

    form = client.get(f"{LOADS}add/").context["form"]
    assert list(form.fields["organization"].queryset) == [organization]
    response = client.post(f"{LOADS}add/", load_form(organization))
    assert response.status_code == 302
    load = ServiceLoad.objects.get(organization=organization)
    response = client.post(f"{LOADS}edit/{load.pk}/", load_form(organization, people_served="450"))
    assert response.status_code == 302
    load.refresh_from_db()
    assert load.people_served == 450
    assert listed(client, LOADS) == [load]


def test_an_editor_cannot_record_or_change_another_organizations_service_load(
    client, editor, other_organization
):
    theirs = ServiceLoad.objects.create(
        organization=other_organization, fiscal_year=2001, people_served=9
    )
    client.force_login(editor)

    response = client.post(f"{LOADS}add/", load_form(other_organization, fiscal_year="2002"))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors

    assert_refused(client.get(f"{LOADS}edit/{theirs.pk}/"))
    assert_refused(
        client.post(f"{LOADS}edit/{theirs.pk}/", load_form(other_organization, people_served="1"))
    )
    assert_refused(client.post(f"{LOADS}delete/{theirs.pk}/"))
    theirs.refresh_from_db()
    assert theirs.people_served == 9
    assert ServiceLoad.objects.count() == 1


def test_a_second_service_load_for_the_same_year_is_refused_clearly(client, editor, organization):
    ServiceLoad.objects.create(organization=organization, fiscal_year=2001, people_served=400)
    client.force_login(editor)

    response = client.post(f"{LOADS}add/", load_form(organization))

    assert response.status_code == 200
    message = "This organization already reported its service load for that year."
    assert response.context["form"].errors["fiscal_year"] == [message]
    assert message in response.content.decode()
    assert ServiceLoad.objects.count() == 1


def test_staff_with_the_model_permissions_see_and_change_every_service_load(
    client, organization, other_organization
):
    staff = staff_user("loads-staff", "add_serviceload", "change_serviceload")
    ours = ServiceLoad.objects.create(organization=organization, fiscal_year=2001, people_served=1)
    theirs = ServiceLoad.objects.create(
        organization=other_organization, fiscal_year=2001, people_served=2
    )
    client.force_login(staff)

    assert set(listed(client, LOADS)) == {ours, theirs}
    response = client.post(
        f"{LOADS}edit/{theirs.pk}/", load_form(other_organization, people_served="20")
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.people_served == 20


def test_finance_staff_who_edit_no_organization_see_no_service_load(client, finance_a):
    client.force_login(finance_a)

    assert_refused(client.get(LOADS))
    assert_refused(client.get(f"{LOADS}add/"))


# The menu ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("editor", ["Service loads"], ["Programmes", "Budgets", "Allocations"]),
        ("finance_a", ["Programmes", "Budgets", "Allocations"], ["Service loads"]),
        ("secretariat", ["Programmes", "Budgets"], ["Allocations", "Service loads"]),
    ],
)
def test_the_funding_menu_shows_each_role_its_screens(client, request, role, shown, hidden):
    client.force_login(request.getfixturevalue(role))

    dashboard = client.get("/admin/").content.decode()

    assert "Funding" in dashboard
    assert all(label in dashboard for label in shown)
    assert not any(label in dashboard for label in hidden)


# The command ---------------------------------------------------------------------------


def test_the_command_adds_lists_and_removes_finance_staff(programme_a):
    user = UserFactory(username="named-finance")

    call_command(
        "roles", "grant", "programme-staff", "named-finance", "global-mission", stdout=StringIO()
    )
    assert manages_programme(user, Programme.objects.get(pk=programme_a.pk))
    listing = StringIO()
    call_command("roles", "list", "programme-staff", "global-mission", stdout=listing)
    assert listing.getvalue().split() == ["named-finance"]

    call_command(
        "roles", "revoke", "programme-staff", "named-finance", "global-mission", stdout=StringIO()
    )
    user = type(user).objects.get(pk=user.pk)  # fresh permission caches
    assert not manages_programme(user, programme_a)
    listing = StringIO()
    call_command("roles", "list", "programme-staff", "global-mission", stdout=listing)
    assert listing.getvalue() == ""


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["grant", "programme-staff", "named-finance", "no-such-programme"], "object"),
        (["grant", "programme-staff", "global-mission"], "object"),
        (["grant", "programme-staff", "nobody", "global-mission"], "user"),
    ],
)
def test_the_command_names_bad_input(programme_a, arguments, named):
    UserFactory(username="named-finance")

    with pytest.raises(CommandError) as refused:
        call_command("roles", *arguments, stdout=StringIO())

    assert str(refused.value).startswith(f"{named}:")
