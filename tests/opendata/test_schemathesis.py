"""/api/v1/ does what its OpenAPI description says, for every operation the description
holds when the test runs (so a resource registered later is covered without a change
here).

Schemathesis reads the description the application publishes (`/api/v1/openapi.json`)
and sends the requests it generates to the site's WSGI application in-process, over a
small record (organizations, a policy with two versions and a round, a forum with seats,
terms and meetings): valid requests and invalid ones. No answer is a 5xx; every status,
content type, header and body is the one described; a request the description refuses
is refused; and every 400 names a parameter the request sent. In valid requests, record
ids (the path's `id`, and filters named after a resource: `forum`, `policy`…) are often
the seeded records', so answers with records are checked, not only 404s. Examples are
bounded and derandomized: the same requests on every run."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from concertation.factories import (
    CoalitionMembershipFactory,
    ForumFactory,
    OrganizationFactory,
)
from consultations.fora.models import Attendance, Meeting, Seat
from consultations.fora.services import assign_seat
from consultations.services.rounds import change_round_state
from opendata.resources import registry
from organizations.models import OrganizationKind
from tests.consultations.test_rounds import add_round
from tests.factories import publish_policy_version

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

API = "/api/v1/"
DESCRIPTION = "/api/v1/openapi.json"

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
# An invalid request must be refused (not answered as if it were valid).
NEGATIVE_CHECKS = [*CHECKS, schemathesis.checks.negative_data_rejection]

# Werkzeug's test client leaves REMOTE_ADDR empty; a server always sets it.
CLIENT = {"REMOTE_ADDR": "192.0.2.17"}

EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 10}


def bounded(mode: GenerationMode) -> settings:
    return settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def record(home_page) -> None:
    """A few organizations (a coalition and its member), a policy with two released
    versions and a round on the first whose report is published, a forum with a seat
    held by two organizations one after the other, a vacant seat and two meetings."""
    coalition = OrganizationFactory(kind=OrganizationKind.COALITION)
    member = CoalitionMembershipFactory(coalition=coalition).organization
    OrganizationFactory()
    first = publish_policy_version(
        home_page,
        "Version one",
        "",
        release_date=datetime.date(1998, 3, 1),
        sections=[("1", "Scope", "Groups that serve the community.")],
    )
    publish_policy_version(
        home_page,
        "Version two",
        "",
        release_date=datetime.date(2000, 6, 1),
        sections=[("1", "Scope", "Autonomous groups."), ("2", "Funding", "Mission funding.")],
    )
    round_page = add_round(
        first.get_parent().specific,
        version=first,
        opens_on=datetime.date(1998, 4, 1),
        closes_on=datetime.date(1998, 6, 1),
        report="<p>What we heard.</p>",
    )
    for state in ("open", "closed", "report_published"):
        change_round_state(round_page, state)
    forum = ForumFactory(convenor=coalition)
    seat = Seat.objects.create(forum=forum, label="Community seat", designation="government")
    Seat.objects.create(forum=forum, label="Vacant seat", designation="government")
    past = assign_seat(
        seat,
        member,
        starts_on=datetime.date(2001, 1, 1),
        ends_on=datetime.date(2003, 1, 1),
        delegate="Paula Past",
    )
    current = assign_seat(seat, coalition, starts_on=datetime.date(2003, 1, 1), delegate="Cora")
    for term, held_on, mode in (
        (past, "2002-05-01", "in_person"),
        (current, "2004-05-01", "online"),
    ):
        meeting = Meeting.objects.create(
            forum=forum,
            held_on=datetime.date.fromisoformat(held_on),
            duration_hours=Decimal(3),
            mode=mode,
        )
        Attendance.objects.create(meeting=meeting, term=term, attended=True)


def known_ids() -> dict[str, list[int]]:
    """The ids of each resource's records, by resource name."""
    return {
        resource.name: sorted(resource.records(AnonymousUser()).values_list("pk", flat=True))
        for resource in registry
    }


def resource_of(operation_path: str, parameter: str, ids: dict[str, list[int]]) -> str | None:
    """The resource whose ids `parameter` takes: the path's own for `id` (and `to`, a
    record compared with the path's), else the resource named after the parameter
    (`policy` → policies, `forum` → fora)."""
    if parameter in ("id", "to"):
        return operation_path.removeprefix(API).split("/")[0]
    for name in (f"{parameter}s", {"forum": "fora"}.get(parameter)):
        if name in ids:
            return name
    return None


def with_real_ids(case: Any, data: st.DataObject, ids: dict[str, list[int]]) -> None:
    """Put a seeded record's id in place of the generated one, in about half the record
    ids of a valid request: answers with records are checked too, not only 404s and
    the 400s of filters naming no record."""
    path = case.operation.path
    for location in ("path_parameters", "query"):
        values = getattr(case, location) or {}
        for name, value in values.items():
            resource = resource_of(path, name, ids)
            if (
                isinstance(value, int)
                and resource
                and ids.get(resource)
                and data.draw(st.booleans(), label=f"real {name}")
            ):
                values[name] = data.draw(st.sampled_from(ids[resource]), label=name)


def padded(query: dict[str, Any] | None) -> bool:
    """Whether a value has spaces around it: the site's forms read `lang=%20en%20` as
    `en` and a value of spaces as none (`concertation.parameter_fields.OneValue`), a
    leniency the description's enums and patterns cannot say (docs/api.md, "Quality")."""
    values = [
        item
        for value in (query or {}).values()
        for item in (value if isinstance(value, list) else [value])
        if isinstance(item, str)
    ]
    return any(item != item.strip() for item in values)


def may_be_named(case: Any) -> set[str]:
    """The parameters a 400 may name: those the request sent, and the required ones
    (refused when missing)."""
    required = {
        parameter.name for parameter in case.operation.iter_parameters() if parameter.is_required
    }
    return {*(case.query or {}), *(case.path_parameters or {}), *required}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_answer_is_the_one_described(record, application, mode):
    """Generated requests for every operation of the description, valid and invalid:
    never a 5xx, always a described status, content type, header and body; invalid
    ones refused; a 400 names a parameter the request sent, a 404 the path's `id`."""
    ids = known_ids()
    schema = schemathesis.openapi.from_wsgi(DESCRIPTION, application, environ_base=CLIENT)
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {operation.path for operation in operations}
    for resource in registry:
        assert {f"{API}{resource.name}/", f"{API}{resource.name}/{{id}}/"} <= paths
    assert all(operation.method.upper() == "GET" for operation in operations)

    for operation in operations:

        @bounded(mode)
        @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
        def answers_as_described(case, data):
            if mode.is_positive:
                with_real_ids(case, data, ids)
            else:
                assume(not padded(case.query))
            checks = CHECKS if mode.is_positive else NEGATIVE_CHECKS
            response = case.call_and_validate(checks=checks, environ_base=CLIENT)
            if response.status_code == 400:
                named = response.json()["error"]["parameter"]
                assert named in may_be_named(case), (case.query, response.text[:300])
            if response.status_code == 404:
                assert response.json()["error"]["parameter"] == "id"

        answers_as_described()


def test_every_record_is_answered_as_described(record, application):
    """Each seeded record through its own endpoint, in both languages: the record
    answers exactly match the description (generation alone might reach few)."""
    ids = known_ids()
    schema = schemathesis.openapi.from_wsgi(DESCRIPTION, application, environ_base=CLIENT)
    answered = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.endswith("/{id}/"):
            continue
        resource = resource_of(operation.path, "id", ids)
        for pk in ids.get(resource, []):
            for language in ("en", "fr"):
                case = operation.Case(path_parameters={"id": pk}, query={"lang": language})
                response = case.call_and_validate(checks=CHECKS, environ_base=CLIENT)
                assert response.status_code == 200, response.text[:300]
                answered += 1
    assert answered >= 2 * sum(len(records) for records in ids.values())
