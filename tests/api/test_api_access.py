"""Named people, not just roles: tokens with a name and a role, given in clear or as hashes,
never logged, revocable one by one through the tokens file; failed authentication throttled;
URLs from the configured address; development mode no stronger than an officer (issue 14)."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pytest
from api_test_support import (
    OFFICER_H,
    VIEWER_H,
    Service,
    make_settings,
    plan_request,
    running_service,
    upload_xlsx,
)

from api.settings import Role, Settings
from api.throttle import FailureThrottle
from api.tokens import parse_tokens

WANG = "wang-laoshi-secret-1"
LI = "li-laoshi-secret-22"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_an_entry_names_a_person_a_role_and_a_token_in_clear_or_hashed() -> None:
    wang, li, legacy = parse_tokens(
        f"王老师:officer:{WANG},李老师:viewer:sha256:{sha(LI)},legacy-token:viewer"
    )
    assert (wang.name, wang.role) == ("王老师", Role.OFFICER) and wang.matches(WANG)
    assert (li.name, li.role) == ("李老师", Role.VIEWER) and li.matches(LI)
    assert not li.matches(sha(LI))  # the hash itself is not a token
    assert legacy.role is Role.VIEWER and legacy.name.startswith("viewer-")


def test_bad_entries_are_refused_without_echoing_the_token() -> None:
    for text in (
        "王老师:admin:some-long-token",
        "王老师:officer:short",
        f"x:officer:sha256:{'z' * 64}",
    ):
        with pytest.raises(ValueError) as info:
            parse_tokens(text)
        assert "some-long-token" not in str(info.value)
        assert "/" in str(info.value)  # Chinese / English
    with pytest.raises(ValueError, match="twice"):
        parse_tokens(f"a:officer:{WANG},b:viewer:{WANG}")


def test_tokens_never_appear_in_settings_repr_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(
        f"sqlite:///{tmp_path}/t.db", tokens=f"王老师:officer:{WANG},李老师:viewer:{LI}"
    )
    assert WANG not in repr(settings) and WANG not in str(settings.token_entries)
    caplog.set_level(logging.DEBUG)
    with running_service(settings) as svc:
        assert svc.client.get("/datasets", headers=bearer(WANG)).status_code == 200
        assert svc.client.get("/datasets", headers=bearer(WANG + "x")).status_code == 401
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert WANG not in logged and LI not in logged


def test_a_tokens_file_is_read_again_so_one_person_is_revoked_without_restart(
    tmp_path: Path,
) -> None:
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(
        f"# 人事股\n王老师:officer:{WANG}\n李老师:viewer:sha256:{sha(LI)}\n", encoding="utf-8"
    )
    settings = make_settings(f"sqlite:///{tmp_path}/f.db", tokens="", tokens_file=tokens)
    with running_service(settings) as svc:
        assert svc.client.get("/datasets", headers=bearer(WANG)).status_code == 200
        assert svc.client.get("/datasets", headers=bearer(LI)).status_code == 200
        tokens.write_text(f"王老师:officer:{WANG}\n", encoding="utf-8")
        stamp = tokens.stat().st_mtime_ns + 1_000_000_000
        os.utime(tokens, ns=(stamp, stamp))
        assert svc.client.get("/datasets", headers=bearer(LI)).status_code == 401
        assert svc.client.get("/datasets", headers=bearer(WANG)).status_code == 200


def test_settings_refuse_a_missing_tokens_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tokens file"):
        Settings(database_url="sqlite://", tokens_file=tmp_path / "absent.txt")


def test_failed_authentication_is_throttled_per_client_with_retry_after(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path}/th.db", auth_failure_limit=3)
    with running_service(settings) as svc:
        for _ in range(3):
            assert svc.client.get("/datasets", headers=bearer("guess-12345678")).status_code == 401
        refused = svc.client.get("/datasets", headers=bearer("guess-12345679"))
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert "秒后再试" in refused.json()["detail"] and "try again" in refused.json()["detail"]
        # while it waits, even a right token from that client is answered 429
        assert svc.client.get("/datasets", headers=OFFICER_H).status_code == 429


def test_the_throttle_forgets_failures_after_the_window_and_counts_clients_apart() -> None:
    now = [0.0]
    throttle = FailureThrottle(2, 60.0, clock=lambda: now[0])
    throttle.failed("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 60
    assert throttle.retry_after("10.0.0.2") is None
    now[0] = 45.0
    assert throttle.retry_after("10.0.0.1") == 15
    now[0] = 60.5
    assert throttle.retry_after("10.0.0.1") is None


def test_returned_urls_never_echo_the_host_header(service: Service, tiny_xlsx: bytes) -> None:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    response = service.client.post(
        f"/datasets/{dataset_id}/plans",
        json=plan_request(backend="greedy"),
        headers={**OFFICER_H, "Host": "evil.example"},
    )
    assert response.status_code == 202
    assert "evil.example" not in response.headers["location"]
    assert "evil.example" not in response.json()["url"]
    assert response.json()["url"] == f"/plans/{response.json()['id']}"


def test_returned_urls_use_the_configured_base_url(tmp_path: Path, tiny_xlsx: bytes) -> None:
    settings = make_settings(
        f"sqlite:///{tmp_path}/b.db", base_url="https://rotation.bureau.example/svc/"
    )
    with running_service(settings) as svc:
        dataset_id = upload_xlsx(svc.client, tiny_xlsx).json()["id"]
        response = svc.client.post(
            f"/datasets/{dataset_id}/plans",
            json=plan_request(backend="greedy"),
            headers={**OFFICER_H, "Host": "evil.example"},
        )
        expected = f"https://rotation.bureau.example/svc/plans/{response.json()['id']}"
        assert response.json()["url"] == expected == response.headers["location"]


def test_dev_mode_grants_no_more_than_an_officer_and_says_so_in_a_header(
    tmp_path: Path, tiny_xlsx: bytes
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/dev.db",
        dev_mode=True,
        tokens=f"李老师:viewer:{LI}",
    )
    with running_service(settings) as svc:
        anonymous = svc.client.get("/datasets")
        assert anonymous.status_code == 200
        assert anonymous.headers["x-rotation-dev-mode"].startswith("on")
        # a viewer token stays a viewer, a wrong token is still refused
        assert upload_xlsx(svc.client, tiny_xlsx, headers=bearer(LI)).status_code == 403
        assert svc.client.get("/datasets", headers=bearer("wrong-token-1")).status_code == 401
        # anonymous acts exactly as an officer token would: uploads, but nothing beyond
        assert upload_xlsx(svc.client, tiny_xlsx, headers={}).status_code == 201
        assert svc.client.get("/health").headers["x-rotation-dev-mode"].startswith("on")


def test_outside_dev_mode_no_response_claims_it(service: Service) -> None:
    response = service.client.get("/datasets", headers=VIEWER_H)
    assert "x-rotation-dev-mode" not in response.headers
