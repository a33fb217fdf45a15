"""The OpenAPI document is the truth: a bounded property-based run of every operation
(Schemathesis) finds no server error and no answer the document does not describe.

Each operation is called with ``FUZZ_EXAMPLES`` requests that fit its schema and as many that
do not (Hypothesis, derandomized so that a run is repeatable), as an officer, against a
service holding one real roster, on SQLite and on PostgreSQL. Every response is checked for:
a 5xx (server error), a status code the document does not list, a content type it does not
list, a body that breaks the documented schema. The figures are printed (run with ``-s``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from api_test_support import (
    HELD_ENTRY,
    OFFICER_H,
    Service,
    make_settings,
    running_service,
    upload_xlsx,
)
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class Findings:
    cases: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, operation: str, kind: str, text: str) -> None:
        self.by_kind[kind] += 1
        self.examples.setdefault((operation, kind), text[:1500])

    def report(self, db_kind: str) -> str:
        server = self.by_kind.get("ServerError", 0)
        schema = sum(v for k, v in self.by_kind.items() if k != "ServerError")
        lines = [
            f"API fuzz ({db_kind}): {self.cases} cases, {server} server errors, "
            f"{schema} schema violations"
        ]
        lines += [f"  {op} — {kind}: {text}" for (op, kind), text in self.examples.items()]
        return "\n".join(lines)


@pytest.fixture()
def fuzz_service(new_database: Callable[[], str], tiny_xlsx: bytes) -> Iterator[Service]:
    """A service of its own (the run creates plans and policies), holding one roster;
    its solves wait until stopped, so the run measures the HTTP layer only."""
    with running_service(make_settings(new_database(), solve_entry=HELD_ENTRY)) as svc:
        assert upload_xlsx(svc.client, tiny_xlsx).status_code == 201
        yield svc


def _request_kwargs(case: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = case.as_transport_kwargs(
        base_url="http://testserver", headers=OFFICER_H
    )
    kwargs.pop("cookies", None)
    files = kwargs.get("files")
    if files:  # requests' form of multipart fields, as httpx takes them (text or bytes)
        kwargs["files"] = [
            (name, (f[0], f[1] if isinstance(f[1], str | bytes) else str(f[1]), *f[2:]))
            for name, f in files
        ]
    return kwargs


def _failure_kinds(exc: BaseException) -> list[tuple[str, str]]:
    inner = getattr(exc, "exceptions", None) or (exc,)
    return [(type(e).__name__, str(e)) for e in inner]


def test_no_operation_answers_a_server_error_or_breaks_its_document(
    fuzz_service: Service, db_kind: str
) -> None:
    # A server error is answered 500 here (as to a real client), not raised into the test.
    client = TestClient(fuzz_service.app, raise_server_exceptions=False)
    schema = schemathesis.openapi.from_dict(fuzz_service.app.openapi())
    findings = Findings()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=FUZZ_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def call(case: Any) -> None:
                findings.cases += 1
                request = client.build_request(**_request_kwargs(case))
                request.read()
                response = client.send(request)
                try:
                    case.validate_response(response, checks=CHECKS)
                except (AssertionError, BaseExceptionGroup) as exc:
                    for kind, text in _failure_kinds(exc):
                        findings.add(case.operation.label, kind, f"{response.status_code} {text}")

            try:
                call()
            except Unsatisfiable:
                pass  # an operation without parameters has no request that breaks its schema
    print("\n" + findings.report(db_kind))
    assert findings.cases >= FUZZ_EXAMPLES * len(list(schema.get_all_operations()))
    assert not findings.by_kind, findings.report(db_kind)
