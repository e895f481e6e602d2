"""schemathesis against the served OpenAPI document: every operation, generated requests as an admin (who may
call all of them), bounded examples; no 5xx, no response that breaks the document's schemas."""

from __future__ import annotations

import pytest

from sitmon.config import Settings
from sitmon.disseminate.api import create_app
from sitmon.security.tokens import create_token
from sitmon.security.users import add_user
from sitmon.store.db import Database

from .conftest import FAST, PASSWORD, A, B, register, report

pytestmark = pytest.mark.slow  # hundreds of generated requests (schemathesis is imported by the tests only)
MAX_EXAMPLES = 12


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An app with a registry, filed and published reports, and an admin token; its OpenAPI document."""
    import schemathesis

    folder = tmp_path_factory.mktemp("openapi")
    s = Settings(home=folder / "home", public_read=True, **FAST)
    db = Database(s)
    db.upgrade()
    register(db, folder)
    add_user(db, s, "root", PASSWORD, "admin")
    token = create_token(db, "root").token
    app = create_app(s, db=db)
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {token}"}
        assert (
            client.post("/api/v1/reports", json={"reports": [report(A), report(B)]}, headers=h).status_code
            == 201
        )
        client.post("/api/v1/reports/1/accept", headers=h)
        client.post("/api/v1/periods/2024-01/publish", json={"force": True, "reason": "test"}, headers=h)
        yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", app), token
    db.dispose()


def test_api_conforms_to_its_openapi_document(served):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        response_headers_conformance,
        negative_data_rejection,
    ]
    schema, token = served
    headers = {"Authorization": f"Bearer {token}"}
    failures: dict[str, str] = {}
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 25
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=op.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)

            try:
                run()
            except Unsatisfiable:  # an operation without parameters has no invalid request to make
                assert mode is GenerationMode.NEGATIVE
            except Exception as exc:  # collect every operation's failure, then report them all
                failures[f"{op.label} ({mode.value})"] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
