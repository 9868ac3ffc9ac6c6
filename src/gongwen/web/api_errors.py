"""JSON errors for the HTTP API (``/api/...``): field paths and Chinese messages, no traceback.

Every error body has one shape, :class:`ErrorBody`::

    {"errors": [{"path": "record.reply.doc_number", "message": "发文字号格式应为…"}],
     "findings": [...]}            # the check findings, when checks stopped a render

:func:`install` adds the handlers to an app; requests outside ``/api/`` keep the handlers the app
had before (the office pages answer in HTML). Request bodies validate against gongwen's models,
whose errors are already Chinese (:class:`gongwen.models._base.GwModel`); the few errors FastAPI
makes itself (no body, broken JSON, a missing upload) are put into Chinese here.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongwen.errors import (
    ArgumentError,
    ChartUnavailable,
    CheckFailed,
    DocumentError,
    DocxPackageError,
    GongwenError,
    InputError,
    OutputError,
    PreviewError,
    RequestRejected,
    TemplateError,
)
from gongwen.findings import Finding, Severity

__all__ = [
    "API_PREFIX",
    "BodyLimit",
    "ErrorBody",
    "ErrorItem",
    "FindingOut",
    "RequestRejected",
    "error_responses",
    "finding_out",
    "install",
    "validation_items",
]

log = logging.getLogger(__name__)

#: Paths under this prefix answer errors in JSON.
API_PREFIX = "/api/"


class ErrorItem(BaseModel):
    """One problem with a request."""

    path: str = Field(
        description="出错的字段路径（如 record.reply.doc_number；查询参数为 query.名称；"
        "空串指整个请求）/ field path in the request"
    )
    message: str = Field(description="中文说明 / Chinese message")


class FindingOut(BaseModel):
    """One finding of a rule (``GW…``), a ledger cell (``L…``) or the verifier (``D…``/``P…``)."""

    code: str = Field(description="规则代码，如 GW101、D3、P2")
    severity: Literal["error", "warning", "info"] = Field(
        description="级别：error 错误（阻止生成）、warning 警告、info 提示"
    )
    subject: str = Field(description="对象：case、reply、feedback、year、docx、ledger、page")
    path: str = Field(description="字段路径（相对于所检查的对象，如 reply.date）")
    message: str = Field(description="中文说明")
    fix: str | None = Field(default=None, description="安全修正后的值（有时）")
    case: str | None = Field(default=None, description="案件，如 提案008")
    row: int | None = Field(default=None, description="台账行号")
    column: str | None = Field(default=None, description="台账列字母")
    header: str | None = Field(default=None, description="台账列名")


class ErrorBody(BaseModel):
    """What every failed ``/api/`` request returns."""

    errors: list[ErrorItem] = Field(description="每一处问题 / every problem")
    findings: list[FindingOut] = Field(
        default_factory=list,
        description="检查未通过时的全部检查结果（含警告）/ all findings when checks failed",
    )


def finding_out(f: Finding) -> FindingOut:
    """A finding as the API returns it."""
    return FindingOut(**f.to_dict())


def _body(errors: Sequence[tuple[str, str]], findings: Sequence[Finding] = ()) -> dict[str, Any]:
    return ErrorBody(
        errors=[ErrorItem(path=p, message=m) for p, m in errors],
        findings=[finding_out(f) for f in findings],
    ).model_dump()


def _json(
    status: int, errors: Sequence[tuple[str, str]], findings: Sequence[Finding] = ()
) -> JSONResponse:
    return JSONResponse(_body(errors, findings), status_code=status)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses (all with :class:`ErrorBody`)."""
    text = {
        401: "未提供或提供了错误的令牌（Authorization: Bearer …）",
        413: "上传或请求体超过大小上限",
        422: "请求数据有误，或检查发现错误（errors 列出字段路径和中文说明，findings 列出检查结果）",
        500: "服务器内部错误（不含调用栈）",
        501: "服务器未安装该功能所需的软件包",
        503: "LibreOffice 不可用或转换超时",
    }
    return {s: {"model": ErrorBody, "description": text[s]} for s in statuses}


# --------------------------------------------------------------------------- validation


def _loc_path(loc: Sequence[int | str]) -> str:
    """``("body", "record", "reply", "body")`` → ``record.reply.body``; query → ``query.x``."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    text = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in parts)
    return text.replace(".[", "[")


_NOT_AN_OBJECT = frozenset({"model_attributes_type", "dict_type", "model_type"})
_WHERE = {"query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}


def _message(err: dict[str, Any]) -> str:
    """The Chinese message of one validation error.

    Errors raised inside gongwen's models are Chinese already (types ``gongwen…``); the rest
    come from FastAPI itself or from plain parameters and are worded here.
    """
    etype = str(err.get("type", ""))
    msg = str(err.get("msg", ""))
    loc = tuple(err.get("loc", ()))
    if loc == ("body",) and etype.removeprefix("gongwen_") in _NOT_AN_OBJECT:
        return "请求体应为 JSON 对象（请求头 Content-Type: application/json）"
    if etype.startswith("gongwen"):
        return msg
    ctx = err.get("ctx") or {}
    where = _WHERE.get(str(loc[0]), "") if loc else ""
    name = str(loc[-1]) if loc else ""
    if etype == "json_invalid":
        detail = ctx.get("error", "")
        pos = loc[1] if len(loc) > 1 else None
        at = f"（第{pos + 1}个字符处）" if isinstance(pos, int) else ""
        return f"请求体不是有效的 JSON{at}：{detail}" if detail else f"请求体不是有效的 JSON{at}"
    if etype == "missing":
        if loc == ("body",):
            return "缺少请求体（应为 JSON 对象，见 /openapi.json）"
        if where:
            return f"缺少{where}“{name}”"
        return f"缺少必填项“{name}”"
    if etype in _NOT_AN_OBJECT:
        return f"“{name}”应为对象"
    if etype in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        expected = "、".join(e.strip() for e in expected.split(","))
        return f"{where}“{name}”应为以下之一：{expected}"
    if etype in ("bool_parsing", "bool_type"):
        return f"{where}“{name}”应为 true/false（或 1/0）"
    if etype in ("int_parsing", "int_type", "int_from_float"):
        return f"{where}“{name}”应为整数"
    if etype in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return f"{where}“{name}”应为日期，如 2024-12-31"
    if etype in ("string_type",):
        return f"{where}“{name}”应为文本"
    if etype == "extra_forbidden":
        return f"不认识的{where or '字段'}“{name}”（请检查拼写）"
    if etype in ("too_long", "string_too_long"):
        return f"{where}“{name}”过长"
    if etype == "value_error" and ctx.get("error"):
        return f"{where}“{name}”：{str(ctx['error']).removeprefix('Value error, ')}"
    return f"{where}“{name}”的值不正确" if name else "请求数据不正确"


def validation_items(errors: Sequence[Any]) -> list[tuple[str, str]]:
    """``(path, Chinese message)`` of each error of a :class:`RequestValidationError`."""
    out: list[tuple[str, str]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        path = _loc_path(loc)
        if err.get("type") == "json_invalid":
            path = ""
        out.append((path, _message(err)))
    return out


# --------------------------------------------------------------------------- gongwen errors


def _error_status(exc: GongwenError) -> int:
    if isinstance(exc, CheckFailed | InputError | ArgumentError | DocumentError):
        return 422
    if isinstance(exc, DocxPackageError):
        return 422
    if isinstance(exc, ChartUnavailable):
        return 501
    if isinstance(exc, PreviewError):
        return 503
    if isinstance(exc, TemplateError | OutputError):
        return 500
    return 500


def gongwen_problem(exc: GongwenError, prefix: str = "") -> RequestRejected:
    """A library error as an API problem (check failures keep every finding)."""
    if isinstance(exc, RequestRejected):
        return exc
    status = _error_status(exc)
    if isinstance(exc, CheckFailed):
        errors = [
            (_join(prefix, f.path), f"{f.case + '：' if f.case else ''}{f.message}")
            for f in exc.findings
            if f.severity is Severity.ERROR
        ]
        return RequestRejected(status, errors, exc.findings)
    if isinstance(exc, InputError) and exc.errors:
        return RequestRejected(status, [(_join(prefix, p), m) for p, m in exc.errors])
    if isinstance(exc, ArgumentError) and exc.argument:
        return RequestRejected(status, [(exc.argument, exc.message or str(exc))])
    if status == 500:
        log.error("gongwen error in an API request: %s", exc, exc_info=exc)
        return RequestRejected(status, [("", f"服务器内部错误：{exc.message or exc}")])
    return RequestRejected(status, [(prefix, exc.message or str(exc))])


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


# --------------------------------------------------------------------------- upload limit


class BodyLimit:
    """ASGI middleware: a request body under ``/api/`` larger than ``limit()`` bytes → 413.

    A declared ``Content-Length`` is refused before anything is read; a chunked body is counted
    as it arrives. ``limit`` is read per request (the app's ``WebState`` settings).
    """

    def __init__(self, app: ASGIApp, limit: Callable[[Scope], int | None]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        if limit is None:
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    await _too_large(limit)(scope, receive, send)
                    return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise StarletteHTTPException(413, _too_large_text(limit))
            return message

        await self.app(scope, counted, send)


def _too_large_text(limit: int) -> str:
    mb = limit / (1024 * 1024)
    size = f"{mb:g} MB" if mb >= 1 else f"{limit} 字节"
    return f"上传内容过大：上限为 {size}"


def _too_large(limit: int) -> JSONResponse:
    return _json(413, [("", _too_large_text(limit))])


# --------------------------------------------------------------------------- handlers

Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


async def _call(handler: Handler, request: Request, exc: Exception) -> Response:
    result = handler(request, exc)
    return await result if inspect.isawaitable(result) else result


_HTTP_TEXT = {
    401: "需要令牌：请求头 Authorization: Bearer <令牌>",
    403: "令牌不正确或无权访问",
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def install(app: FastAPI) -> None:
    """Add JSON error handlers for ``/api/`` paths; other paths keep the app's earlier handlers.

    Install after the app's own handlers for these exception types, so that they stay in force
    outside ``/api/``.
    """
    handlers = app.exception_handlers
    before_validation: Handler = handlers.get(
        RequestValidationError, request_validation_exception_handler
    )
    before_http: Handler = handlers.get(StarletteHTTPException, http_exception_handler)
    before_gongwen: Handler | None = handlers.get(GongwenError)
    before_any: Handler | None = handlers.get(Exception)

    async def on_validation(request: Request, exc: Exception) -> Response:
        if not _is_api(request) or not isinstance(exc, RequestValidationError):
            return await _call(before_validation, request, exc)
        return _json(422, validation_items(exc.errors()))

    async def on_http(request: Request, exc: Exception) -> Response:
        if not _is_api(request) or not isinstance(exc, StarletteHTTPException):
            return await _call(before_http, request, exc)
        detail = exc.detail if isinstance(exc.detail, str) else ""
        if _has_chinese(detail):
            message = detail
        elif exc.status_code == 404:
            message = f"没有这个接口：{request.url.path}（接口列表见 /openapi.json）"
        elif exc.status_code == 405:
            message = f"{request.url.path} 不接受 {request.method} 请求"
        else:
            message = _HTTP_TEXT.get(exc.status_code, f"请求失败（HTTP {exc.status_code}）")
        return JSONResponse(
            _body([("", message)]), status_code=exc.status_code, headers=exc.headers
        )

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestRejected)
        return _json(exc.status, exc.errors, exc.findings)

    async def on_gongwen(request: Request, exc: Exception) -> Response:
        if not _is_api(request) and before_gongwen is not None:
            return await _call(before_gongwen, request, exc)
        assert isinstance(exc, GongwenError)
        problem = gongwen_problem(exc)
        return _json(problem.status, problem.errors, problem.findings)

    async def on_any(request: Request, exc: Exception) -> Response:
        if not _is_api(request):
            if before_any is not None:
                return await _call(before_any, request, exc)
            return PlainTextResponse("Internal Server Error", status_code=500)
        log.error("unexpected error in %s", request.url.path, exc_info=exc)
        return _json(500, [("", "服务器内部错误，请联系管理员查看服务器日志")])

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestRejected, on_problem)
    app.add_exception_handler(GongwenError, on_gongwen)
    app.add_exception_handler(Exception, on_any)
