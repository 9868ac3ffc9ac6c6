"""Who may write: the token on every write, the login page, loopback by default, upload limits,
Chinese error pages (never a traceback)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gongwen.cli import app as cli_app
from gongwen.web import service
from gongwen.web.security import SESSION_COOKIE, is_loopback, session_value
from tests.unit.web_support import case_id, client, form_fields

TOKEN = "office-2024-secret"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client(tmp_path_factory.mktemp("web-token"), demo=True, token=TOKEN) as c:
        yield c


def _fresh(c: TestClient) -> TestClient:
    return TestClient(c.app, raise_server_exceptions=False, follow_redirects=False)


def test_reads_need_no_token(guarded: TestClient) -> None:
    anon = _fresh(guarded)
    assert anon.get("/cases").status_code == 200
    assert "登录" in anon.get("/cases").text


def test_a_page_write_without_token_goes_to_login(guarded: TestClient) -> None:
    anon = _fresh(guarded)
    cid = case_id(anon, "提案008")
    fields = form_fields(anon.get(f"/cases/{cid}").text)
    r = anon.post(f"/cases/{cid}", data=fields)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    hx = anon.post(f"/cases/{cid}/check", data=fields, headers={"HX-Request": "true"})
    assert hx.status_code == 401 and hx.headers["HX-Redirect"].startswith("/login")
    assert anon.post("/import/demo").status_code == 303
    assert anon.post("/report", data={"narrative": "x", "revision": "0"}).status_code == 303
    assert form_fields(anon.get(f"/cases/{cid}").text)["revision"] == "1"  # nothing saved


def test_login_sets_an_httponly_cookie_then_writes_work(guarded: TestClient) -> None:
    staff = _fresh(guarded)
    page = staff.get("/login?next=/cases")
    assert page.status_code == 200 and "令牌" in page.text
    wrong = staff.post("/login", data={"token": "猜的令牌", "next": "/cases"})
    assert wrong.status_code == 401 and "令牌不正确" in wrong.text
    ok = staff.post("/login", data={"token": TOKEN, "next": "/cases", "author": "王芳"})
    assert ok.status_code == 303 and ok.headers["location"] == "/cases"
    cookie = next(h for h in ok.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert TOKEN not in cookie  # the cookie is derived from the token, not the token
    cid = case_id(staff, "提案015")
    fields = form_fields(staff.get(f"/cases/{cid}").text)
    fields["body"] = fields["body"] + "\n\n补充一段。"
    r = staff.post(f"/cases/{cid}", data=fields)
    assert r.status_code == 303 and "saved=1" in r.headers["location"]
    assert "王芳" in staff.get(r.headers["location"]).text


def test_login_never_redirects_to_another_site(guarded: TestClient) -> None:
    r = _fresh(guarded).post("/login", data={"token": TOKEN, "next": "//evil.example/x"})
    assert r.headers["location"] == "/"


def test_api_writes_need_the_bearer_token(guarded: TestClient) -> None:
    anon = _fresh(guarded)
    r = anon.post("/api/v1/check", json={})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "令牌" in r.json()["errors"][0]["message"]
    wrong = anon.post("/api/v1/check", json={}, headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401
    right = anon.post("/api/v1/check", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 422  # past the token rule; the empty body is what is wrong
    browser = _fresh(guarded)
    browser.cookies.set(SESSION_COOKIE, session_value(TOKEN))
    assert browser.post("/api/v1/check", json={}).status_code == 422


def test_without_token_writes_are_open_on_loopback(tmp_path: Path) -> None:
    with client(tmp_path, demo=True) as c:
        assert c.post("/api/v1/check", json={}).status_code == 422
        assert "无需令牌" in c.get("/login").text


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("::", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_a_network_address_without_token(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        cli_app, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)], env={"GONGWEN_TOKEN": ""}
    )
    assert r.exit_code == 2
    assert "须同时用 --token 设置令牌" in r.output
    assert not (tmp_path / "gongwen.sqlite3").exists()  # refused before anything started


def test_serve_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = CliRunner().invoke(cli_app, ["serve", "--port", str(port), "--data", str(tmp_path)])
    assert r.exit_code == 2
    assert "端口已被占用" in r.output and "--port" in r.output


def test_serve_help_is_chinese() -> None:
    r = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert r.exit_code == 0
    assert "办公室工作台" in r.output and "--token" in r.output and "GONGWEN_TOKEN" in r.output


def test_upload_over_the_limit_is_a_chinese_413(tmp_path: Path) -> None:
    with client(tmp_path, max_upload_bytes=1024) as c:
        r = c.post("/import", files={"ledger": ("台账.csv", b"x" * 4096, "text/csv")})
        assert r.status_code == 413
        assert "超过大小限制" in r.text and "<!doctype html>" in r.text

        def chunks() -> Iterator[bytes]:
            for _ in range(8):
                yield b"y" * 512

        streamed = c.post(
            "/import", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=b"}
        )
        assert streamed.status_code == 413 and "超过大小限制" in streamed.text


def test_an_unexpected_error_is_a_chinese_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(state: object) -> None:
        raise RuntimeError("boom internal detail")

    monkeypatch.setattr(service, "case_rows", broken)
    with client(tmp_path, demo=True) as c:
        r = c.get("/cases")
        assert r.status_code == 500
        assert "服务器处理此请求时出错" in r.text
        assert "boom" not in r.text and "Traceback" not in r.text
