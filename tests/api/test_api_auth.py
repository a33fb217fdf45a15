"""Access: tokens from configuration, roles, and an explicit development mode."""

from __future__ import annotations

import pytest
from api_test_support import OFFICER_H, VIEWER_H, Service, running_service
from pydantic import ValidationError

from api.settings import Role, Settings, parse_tokens


def test_no_token_is_401(service: Service) -> None:
    for path in ("/datasets", "/plans", "/policy/defaults", "/datasets/1/teachers"):
        response = service.client.get(path)
        assert response.status_code == 401, path
        assert "令牌" in response.json()["detail"]
        assert response.headers["www-authenticate"] == "Bearer"


def test_wrong_token_is_401(service: Service) -> None:
    response = service.client.get("/datasets", headers={"Authorization": "Bearer not-a-real-token"})
    assert response.status_code == 401


def test_health_needs_no_token(service: Service) -> None:
    body = service.client.get("/health").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["dev_mode"] is False


def test_viewer_reads_but_cannot_plan(service: Service) -> None:
    assert service.client.get("/datasets", headers=VIEWER_H).status_code == 200
    response = service.client.post("/datasets/1/plans", json={"year": 2026}, headers=VIEWER_H)
    assert response.status_code == 403


def test_policy_defaults_list_every_parameter(service: Service) -> None:
    rows = service.client.get("/policy/defaults", headers=VIEWER_H).json()
    by_name = {r["name"]: r for r in rows}
    assert by_name["rotation_rate"]["default"] == 0.1
    assert by_name["backbone_share"]["default"] == 0.2
    assert "weights.fill_need" in by_name
    assert all(r["description"] for r in rows)


def test_named_policy_is_saved_and_validated(service: Service) -> None:
    ok = service.client.put(
        "/policies/fifteen", json={"overrides": {"rotation_rate": 0.15}}, headers=OFFICER_H
    )
    assert ok.status_code == 200 and ok.json()["overrides"] == {"rotation_rate": 0.15}
    bad = service.client.put(
        "/policies/bad", json={"overrides": {"rotation_rate": 2}}, headers=OFFICER_H
    )
    assert bad.status_code == 422 and "rotation_rate" in bad.json()["detail"]
    names = [p["name"] for p in service.client.get("/policies", headers=VIEWER_H).json()]
    assert "fifteen" in names and "bad" not in names


def test_settings_refuse_to_start_without_tokens() -> None:
    with pytest.raises(ValidationError) as info:
        Settings(database_url="sqlite://", tokens="", dev_mode=False)
    assert "ROTATION_DEV_MODE" in str(info.value)


def test_tokens_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROTATION_TOKENS", "abcdefgh12:officer,zyxwvut98:viewer")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    settings = Settings()
    entries = settings.token_entries
    assert [e.role for e in entries] == [Role.OFFICER, Role.VIEWER]
    assert entries[0].matches("abcdefgh12") and entries[1].matches("zyxwvut98")
    assert not entries[0].matches("zyxwvut98")
    assert settings.database_url == "sqlite:///elsewhere.db"
    (only,) = parse_tokens('{"abcdefgh12": "viewer"}')
    assert only.role is Role.VIEWER and only.matches("abcdefgh12")
    with pytest.raises(ValueError):
        parse_tokens("abcdefgh12:admin")


def test_dev_mode_is_explicit_and_announced(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/dev.db", dev_mode=True)
    with running_service(settings) as svc:
        assert svc.client.get("/datasets").status_code == 200
        assert svc.client.get("/health").json()["dev_mode"] is True
    assert "开发模式" in capsys.readouterr().out
