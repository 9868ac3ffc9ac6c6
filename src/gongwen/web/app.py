"""The app factory of ``gongwen serve``: pages, static files, the API, the write rules.

>>> app = create_app(WebSettings(data_dir=Path("数据")))      # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongwen._version import __version__
from gongwen.errors import (
    CaseNotFound,
    GongwenError,
    InputError,
    NoWorkspace,
    PreviewError,
    StoreError,
)
from gongwen.web import pages
from gongwen.web.security import OPEN_WRITES, WRITE_METHODS, UploadLimit, authorised
from gongwen.web.state import WebSettings, WebState
from gongwen.web.templating import STATIC, render_page

log = logging.getLogger(__name__)

_STATUS_TITLES = {
    400: "请求有误",
    401: "需要登录",
    403: "没有权限",
    404: "页面不存在",
    405: "不支持此操作",
    409: "内容冲突",
    413: "上传内容过大",
    422: "内容有误",
    500: "服务器出错",
    503: "暂时无法使用",
}
#: Request parameters in words (for "请求中的参数有误" on a page).
_PARAMETER_NAMES = {
    "case_id": "案件编号",
    "doc_id": "文档编号",
    "index": "文档序号",
    "revision": "版本号",
    "number": "页码",
    "format": "格式",
    "target": "答复",
}
_STATUS_MESSAGES = {
    404: "没有找到您要的页面或案件。",
    405: "此地址不支持这种操作。",
}


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _plain_page(title: str, message: str, status: int) -> str:
    """An error page without request context (used before routing, e.g. the upload limit)."""
    return render_page(
        "error.html",
        title=title,
        message=message,
        findings=[],
        user="",
        token_on=False,
        logged_in=False,
        workspace=None,
        path="/",
    )


def _error(request: Request, status: int, message: str, title: str | None = None) -> Response:
    if _api(request):
        body = {"errors": [{"path": "", "message": message}], "findings": []}
        return JSONResponse(body, status_code=status)
    return pages.error_page(request, title or _STATUS_TITLES.get(status, "出错了"), message, status)


def create_app(settings: WebSettings) -> FastAPI:
    """The workbench app: sets ``app.state.gongwen``, closes it on shutdown."""
    state = WebState(settings)

    if settings.demo and state.store.workspace() is None:
        pages.load_demo(state)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:
            threading.Thread(target=_warm, args=(state,), daemon=True).start()
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="gongwen 办公室工作台",
        version=__version__,
        description="建议提案答复函、征询意见表和办理工作总结：网页工作台与 HTTP 接口（/api/v1）",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.gongwen = state
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages.router)
    _install_error_pages(app)
    from gongwen.web import api_v1

    api_v1.mount(app)
    _install_write_rule(app, settings)
    app.add_middleware(UploadLimit, limit=settings.max_upload_bytes, page=_plain_page)
    return app


def _warm(state: WebState) -> None:
    """Start LibreOffice in the background; a failure shows later, on the first preview."""
    with contextlib.suppress(GongwenError, OSError):
        state.warm_up()


def _install_write_rule(app: FastAPI, settings: WebSettings) -> None:
    @app.middleware("http")
    async def write_rule(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if (
            settings.token
            and request.method in WRITE_METHODS
            and request.url.path not in OPEN_WRITES
            and not authorised(request, settings.token)
        ):
            message = (
                "此服务器要求令牌：请先登录（网页）或发送 Authorization: Bearer <令牌>（接口）"
            )
            if _api(request):
                body = {"errors": [{"path": "", "message": message}], "findings": []}
                return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
            login = "/login?next=" + quote(request.url.path)
            if request.headers.get("hx-request"):
                return Response(status_code=401, headers={"HX-Redirect": login})
            return RedirectResponse(login, status_code=303)
        return await call_next(request)


def _install_error_pages(app: FastAPI) -> None:
    """Chinese error pages for the pages (``api_v1.mount`` then wraps these for ``/api/``).

    One handler per exception base (HTTP, request validation, GongwenError, any exception), so
    the API's handlers, installed after these, see every ``/api/`` error first.
    """

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) and exc.detail else ""
        if not message or message.isascii():
            message = _STATUS_MESSAGES.get(exc.status_code, "请求无法完成。")
        return _error(request, exc.status_code, message)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        parts = []
        for err in exc.errors():
            where = ".".join(
                _PARAMETER_NAMES.get(str(p), str(p))
                for p in err.get("loc", ())
                if p not in ("query", "path")
            )
            parts.append(f"{where}：取值无效" if where else "取值无效")
        return _error(request, 422, "请求中的参数有误：" + "；".join(parts))

    async def gongwen_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, GongwenError)
        if isinstance(exc, NoWorkspace):
            if not _api(request) and request.method == "GET":
                return RedirectResponse("/", status_code=303)
            return _error(request, 409, "尚未导入台账或年度文件，请先在首页导入")
        if isinstance(exc, CaseNotFound):
            return _error(request, 404, str(exc), "没有找到")
        if isinstance(exc, InputError):
            return _error(request, 422, str(exc))
        if isinstance(exc, PreviewError):
            return _error(request, 503, f"无法排版预览：{exc}")
        if isinstance(exc, StoreError):
            return _error(request, 500, str(exc))
        return _error(request, 400, str(exc))

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error in %s", request.url.path, exc_info=exc)
        return _error(
            request, 500, "服务器处理此请求时出错（已记录）。请稍后重试；若一再出现，请联系管理员。"
        )

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(GongwenError, gongwen_error)
    app.add_exception_handler(Exception, unexpected)


__all__ = ["create_app"]
