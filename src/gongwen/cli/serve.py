"""Command: serve — the office workbench in the browser (and the HTTP API /api/v1)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongwen.cli.app import app, fail

#: Where the workbench keeps its database when ``--data`` is not given.
DEFAULT_DATA = Path("gongwen-data")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="监听地址；默认只允许本机访问，其他地址须设令牌")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 8000,
    data: Annotated[
        Path, typer.Option("--data", help="数据文件夹（SQLite 数据库，首次启动时创建）")
    ] = DEFAULT_DATA,
    demo: Annotated[
        bool, typer.Option("--demo", help="数据库为空时载入内置示例（与 gongwen demo 相同）")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="GONGWEN_TOKEN",
            help="令牌：设了之后每次保存、导入等修改都须持有它（也可用环境变量 GONGWEN_TOKEN）",
        ),
    ] = None,
) -> None:
    """启动办公室工作台：在浏览器中导入台账、修改答复、预览版面、下载公文。

    启动后用浏览器打开 http://127.0.0.1:8000（或所设的地址和端口）。
    """
    import uvicorn

    from gongwen.errors import GongwenError
    from gongwen.web.app import create_app
    from gongwen.web.security import is_loopback
    from gongwen.web.state import WebSettings

    secret = (token or "").strip() or None
    if not is_loopback(host) and secret is None:
        raise fail(
            f"监听地址 {host} 可从其他电脑访问，须同时用 --token 设置令牌"
            "（或设置环境变量 GONGWEN_TOKEN），以免任何人都能修改数据"
        )
    settings = WebSettings(
        data_dir=data.resolve(), host=host, port=port, token=secret, demo=demo, warm=True
    )
    _check_port(host, port)
    try:
        application = create_app(settings)
    except GongwenError as exc:
        raise fail(str(exc)) from None
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1"
    typer.echo(f"数据文件夹：{settings.data_dir}")
    typer.echo(f"办公室工作台已启动：http://{shown}:{port}/ （按 Ctrl+C 停止）")
    if secret:
        typer.echo("已设置令牌：网页上的修改须先登录，接口请求须带 Authorization: Bearer <令牌>")
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)


def _check_port(host: str, port: int) -> None:
    """Fail with a Chinese message when the address cannot be listened on (port in use …)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise fail(f"无法识别监听地址“{host}”") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = "端口已被占用" if exc.errno == 98 else (exc.strerror or str(exc))
            raise fail(f"无法在 {host}:{port} 上启动：{reason}（可用 --port 换一个端口）") from None
