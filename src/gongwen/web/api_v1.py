"""The HTTP API for other systems, under ``/api/v1`` (OpenAPI at ``/openapi.json``).

Request bodies are gongwen's own models (the ones ``gongwen schema`` exports): a case record
(``gongwen schema record``), an organisation, a year. Every endpoint calls the library's public
functions — :func:`gongwen.check_record`, :func:`gongwen.api.render_planned` (the batch's path
for one document), :func:`gongwen.render_feedback_forms`, :func:`gongwen.render_annual_report`,
:func:`gongwen.render_all`, :func:`gongwen.verify` — so the API, the CLI and a batch give the
same findings and the same bytes. Errors are JSON with field paths and Chinese messages
(:mod:`gongwen.web.api_errors`), never a traceback.

``mount(app)`` adds the router and the error handlers; ``gongwen.web.app.create_app`` calls it.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, ValidationError
from starlette.responses import Response

from gongwen.api import render_annual_report, render_feedback_forms, render_planned
from gongwen.batch import MANIFEST, STATUS_LABELS, BatchOptions, BatchResult, BatchRun
from gongwen.batch.options import MAX_NARRATIVE_CHARS
from gongwen.checks import check_record
from gongwen.documents.plan import DocKind, PlannedDocument, case_documents
from gongwen.errors import CheckFailed, GongwenError, error_list
from gongwen.findings import Finding, Severity, has_errors
from gongwen.ledger.files import parse_data
from gongwen.models._base import Day, GwModel
from gongwen.models.enums import HandlingRole, Round
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.render.result import RenderedDocument
from gongwen.text.dates import parse_date
from gongwen.verify import load_docx, verify
from gongwen.verify.pages import check_pdf
from gongwen.web.api_errors import (
    API_PREFIX,
    BodyLimit,
    FindingOut,
    RequestRejected,
    error_responses,
    finding_out,
    gongwen_problem,
    install,
)
from gongwen.web.state import MAX_UPLOAD_BYTES, WebState

__all__ = [
    "DOCX_TYPE",
    "PREFIX",
    "CheckRequest",
    "CheckResponse",
    "FormsRequest",
    "RenderRequest",
    "ReportRequest",
    "mount",
    "router",
]

PREFIX = "/api/v1"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"
#: Name of the list of files inside the zips this API returns (feedback forms).
FORMS_MANIFEST = "manifest.json"
#: Every result of a batch, in order, inside the zip ``POST /batch`` returns (beside the
#: batch's own ``manifest.json``): status, case, row, file, message, problems, findings.
BATCH_RESULTS = "results.json"
#: The ledger and organisation file types ``POST /batch`` accepts.
LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".json", ".yaml", ".yml")
ORG_SUFFIXES = (".yaml", ".yml", ".json")

router = APIRouter(prefix=PREFIX, tags=["API v1"])


# --------------------------------------------------------------------------- request models

_TODAY = Field(
    default=None,
    title="检查日期",
    description="检查时视为“今天”的日期（办理时限等规则用它），默认为服务器当天 / "
    "the date the checks take as today (default: the server's date)",
)


class CheckRequest(GwModel):
    """``POST /api/v1/check``: one case record and the organisation that handles it."""

    record: CaseRecord = Field(title="案件记录", description="同 gongwen schema record")
    organisation: Organisation = Field(
        title="承办单位", description="同 gongwen schema organisation"
    )
    today: Day | None = _TODAY


class RenderRequest(CheckRequest):
    """``POST /api/v1/render/reply`` and ``/render/co-opinion``."""

    round: Round | None = Field(
        default=None,
        title="办理轮次",
        description="生成哪一次答复：初次办理（reply）、重新办理（rehandling 或 follow_ups）、"
        "跟踪答复（follow_ups），同一轮次有多次时为其中最后一次；省略时为最后一次答复 / "
        "which reply: the first, the (latest) re-handling or follow-up one (default: the latest)",
    )


class FormsRequest(CheckRequest):
    """``POST /api/v1/render/feedback-forms``."""

    blank: bool = Field(
        default=False,
        title="空白表",
        description="true 时生成空白表，不按 feedback 勾选 / blank forms, boxes not ticked",
    )


class ReportRequest(GwModel):
    """``POST /api/v1/render/report``: a year of cases, the organisation, the narrative."""

    year: HandlingYear = Field(title="年度数据", description="同 gongwen schema year")
    organisation: Organisation | None = Field(
        default=None,
        title="承办单位",
        description="省略时用 year.organisation / default: the year's embedded organisation",
    )
    narrative: str | None = Field(
        default=None,
        max_length=MAX_NARRATIVE_CHARS,
        title="总结正文",
        description="Markdown 或纯文本，按一级标题分节；基本情况由统计数据生成",
    )
    report_date: Day | None = Field(
        default=None,
        title="成文日期",
        description="默认为检查日期或今天；统计按此日期计应办结件",
    )
    doc_number: str | None = Field(default=None, max_length=40, title="发文字号")
    chart: bool = Field(default=False, title="统计图", description="附统计图（需要 matplotlib）")
    today: Day | None = _TODAY


class CheckResponse(BaseModel):
    """The findings of the checks (or of the verifier)."""

    ok: bool = Field(description="没有错误（可以生成）/ no errors")
    errors: int = Field(description="错误数")
    warnings: int = Field(description="警告数")
    findings: list[FindingOut] = Field(description="全部结果，按规则顺序")


def _check_response(findings: Sequence[Finding]) -> CheckResponse:
    count = Counter(f.severity for f in findings)
    return CheckResponse(
        ok=not has_errors(findings),
        errors=count[Severity.ERROR],
        warnings=count[Severity.WARNING],
        findings=[finding_out(f) for f in findings],
    )


Format = Literal["docx", "pdf"]
FormatQuery = Annotated[
    Format,
    Query(
        title="输出格式",
        description="docx（默认），或 pdf（经 LibreOffice 转换）/ docx, or pdf through LibreOffice",
    ),
]
VariantQuery = Annotated[
    Literal["letter", "file"],
    Query(
        title="答复函格式",
        description="letter 信函格式（默认），file 红头文件格式 / letter or red-header file format",
    ),
]


# --------------------------------------------------------------------------- helpers


def _state(request: Request) -> WebState:
    state = getattr(request.app.state, "gongwen", None)
    if not isinstance(state, WebState):
        raise RequestRejected(500, [("", "服务器未正确配置（缺少 WebState）")])
    return state


def _disposition(name: str) -> str:
    """``attachment`` with the UTF-8 file name (RFC 6266/5987) and an ASCII fallback."""
    suffix = Path(name).suffix
    fallback = f"document{suffix}" if suffix.isascii() else "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def _file_response(
    data: bytes, name: str, media_type: str, findings: Sequence[Finding] = ()
) -> Response:
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    headers = {
        "Content-Disposition": _disposition(name),
        "X-Gongwen-Warnings": str(len(warnings)),
        "X-Gongwen-SHA256": hashlib.sha256(data).hexdigest(),
    }
    if warnings:
        codes = ",".join(dict.fromkeys(f.code for f in warnings))
        headers["X-Gongwen-Warning-Codes"] = quote(codes, safe=",")
    return Response(content=data, media_type=media_type, headers=headers)


def _join(prefix: str, path: str) -> str:
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _record_problem(exc: GongwenError) -> RequestRejected:
    """A library error about the request's ``record`` (finding paths under ``record.``)."""
    return gongwen_problem(exc, prefix="record")


def _no_server_files(record: CaseRecord, prefix: str = "record") -> None:
    """Attachments name files on the machine that reads them: over HTTP that is the server's
    disk, which no caller may read through a document. Refused with the path of each one."""
    problems: list[tuple[str, str]] = []
    for rnd in record.rounds:
        for i, _ in enumerate(getattr(rnd.reply, "attachments", ()) or ()):
            problems.append(
                (
                    f"{prefix}.{rnd.path}.attachments[{i}].file",
                    "通过 HTTP 接口提交的答复不能引用服务器上的附件文件；"
                    "请删去附件，或在办公界面上传附件",
                )
            )
    if problems:
        raise RequestRejected(422, problems)


def _checked(record: CaseRecord, org: Organisation, today: date | None) -> list[Finding]:
    """The case rules a batch runs on the whole record; errors stop the render (422)."""
    findings = check_record(record, org, today=today)
    if has_errors(findings):
        raise _record_problem(CheckFailed(findings))
    return findings


#: The documents ``/render/reply`` chooses from (not the 延期办理告知函 a plan may add).
REPLY_KINDS = frozenset({DocKind.REPLY, DocKind.CO_OPINION, DocKind.REHANDLING, DocKind.TRACKING})


def _pick_reply(req: RenderRequest, variant: str) -> PlannedDocument:
    """The planned reply document the request asks for: the latest one, or the latest of the
    round asked for (初次办理, 重新办理, 跟踪答复)."""
    record = req.record
    plan = case_documents(record, ("replies",), variant="file" if variant == "file" else "letter")
    docs = [d for d in plan if d.kind in REPLY_KINDS]
    if not docs:
        raise RequestRejected(
            422, [("record.reply", f"{record.case.label}尚无答复，不能生成答复函")]
        )
    if req.round is None:
        return docs[-1]
    chosen = [
        d
        for d in docs
        if d.reply is not None
        and (rnd := record.round_of(d.reply)) is not None
        and rnd.kind is req.round
    ]
    if not chosen:
        where = "record.rehandling" if req.round is Round.AGAIN else "record.follow_ups"
        raise RequestRejected(422, [(where, f"{record.case.label}没有“{req.round.value}”的答复")])
    return chosen[-1]


def _render_one(state: WebState, req: RenderRequest, variant: str, fmt: Format) -> Response:
    _no_server_files(req.record)
    planned = _pick_reply(req, variant)
    try:
        # as a batch does: the case rules on the whole record, then the document unchecked
        findings = _checked(req.record, req.organisation, req.today)
        doc = render_planned(req.record, planned, req.organisation, today=req.today, check=False)
    except GongwenError as exc:
        raise _record_problem(exc) from None
    return _document(state, doc, fmt, findings)


def _document(
    state: WebState, doc: RenderedDocument, fmt: Format, findings: Sequence[Finding]
) -> Response:
    if fmt == "pdf":
        pdf = state.to_pdf(doc.data)
        return _file_response(pdf, str(Path(doc.name).with_suffix(".pdf")), PDF_TYPE, findings)
    return _file_response(doc.data, doc.name, DOCX_TYPE, findings)


async def _read_upload(upload: UploadFile, field: str, limit: int) -> bytes:
    """The bytes of an upload, refused (413) past ``limit``; read in 1 MB pieces."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(1 << 20):
        size += len(chunk)
        if size > limit:
            mb = limit / (1024 * 1024)
            raise RequestRejected(413, [(field, f"上传文件过大：上限为 {mb:g} MB")])
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise RequestRejected(422, [(field, "上传的文件是空的")])
    return data


def _suffix(upload: UploadFile, field: str, allowed: Sequence[str]) -> str:
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in allowed:
        raise RequestRejected(
            422,
            [
                (
                    field,
                    f"不支持的文件类型“{suffix or upload.filename or '（无文件名）'}”，"
                    f"可用：{'、'.join(allowed)}",
                )
            ],
        )
    return suffix


# --------------------------------------------------------------------------- endpoints

_RENDER_ERRORS = error_responses(413, 422, 500, 503)


@router.post(
    "/check",
    response_model=CheckResponse,
    summary="检查一件案件 / check one case record",
    description="运行与 gongwen check、gongwen batch 相同的案件规则（案件、答复、征询意见），"
    "返回每一条结果。有错误时 ok 为 false（状态码仍为 200）。\n\n"
    "Runs the case rules a batch runs; returns every finding (HTTP 200 even when ok is false).",
    responses=error_responses(413, 422),
)
def check(body: CheckRequest) -> CheckResponse:
    _no_server_files(body.record)
    return _check_response(check_record(body.record, body.organisation, today=body.today))


_DOCX_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "文档（docx，或 format=pdf 时为 PDF）；"
        "响应头 X-Gongwen-Warnings 为警告数，X-Gongwen-Warning-Codes 为警告的规则代码",
        "content": {
            DOCX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            PDF_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **_RENDER_ERRORS,
}


@router.post(
    "/render/reply",
    response_class=Response,
    summary="生成答复函 / render a reply letter",
    description="先运行全部案件规则，有错误时返回 422 和全部检查结果；否则返回答复函。"
    "本单位为协办单位（case.role 为协办）时生成协办意见。重新办理的案件默认生成重新办理答复，"
    "round 为“初次办理”时生成初次答复。\n\n"
    "Checks first (422 with the findings on errors), then renders. A re-handled case gives its "
    "re-handling reply unless round is 初次办理.",
    responses=_DOCX_CONTENT,
)
def render_reply_endpoint(
    request: Request,
    body: RenderRequest,
    format: FormatQuery = "docx",
    variant: VariantQuery = "letter",
) -> Response:
    if variant == "file" and body.record.case.role is HandlingRole.ASSIST:
        raise RequestRejected(
            422,
            [("query.variant", "本单位为协办单位，生成的是协办意见，没有红头文件格式（file）")],
        )
    return _render_one(_state(request), body, variant, format)


@router.post(
    "/render/co-opinion",
    response_class=Response,
    summary="生成协办意见 / render a co-handler's opinion letter",
    description="本单位为协办单位（case.role 为协办）时，致主办单位的协办意见。"
    "主办、分办的案件返回 422（请用 /render/reply）。\n\n"
    "For a case this unit co-handles (role 协办); other cases get 422.",
    responses=_DOCX_CONTENT,
)
def render_co_opinion_endpoint(
    request: Request, body: RenderRequest, format: FormatQuery = "docx"
) -> Response:
    if body.record.case.role is not HandlingRole.ASSIST:
        raise RequestRejected(
            422,
            [
                (
                    "record.case.role",
                    f"{body.record.case.label}本单位为{body.record.case.role.value}单位，"
                    "应生成答复函（/api/v1/render/reply），不是协办意见",
                )
            ],
        )
    return _render_one(_state(request), body, "letter", format)


@router.post(
    "/render/feedback-forms",
    response_class=Response,
    summary="生成征询意见表 / render the feedback forms",
    description="每位提案人（联名件每人）一份，随最后一次答复；打包为 zip，内含 manifest.json"
    "（每个文件的名称、提案人、SHA-256 和检查结果）。协办单位不发征询意见表（422）。\n\n"
    "One form per proposer, in a zip with manifest.json (name, proposer, SHA-256, findings).",
    responses={
        200: {
            "description": "zip：各份征询意见表（docx，或 format=pdf 时为 PDF）和 manifest.json",
            "content": {ZIP_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **_RENDER_ERRORS,
    },
)
def render_feedback_forms_endpoint(
    request: Request, body: FormsRequest, format: FormatQuery = "docx"
) -> Response:
    state = _state(request)
    _no_server_files(body.record)
    try:
        docs = render_feedback_forms(
            body.record, body.organisation, filled=not body.blank, today=body.today
        )
    except GongwenError as exc:
        raise _record_problem(exc) from None
    people = [p.name for p in body.record.case.proposers]
    buffer = io.BytesIO()
    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, doc in enumerate(docs):
            data, name = doc.data, doc.name
            if format == "pdf":
                data, name = state.to_pdf(doc.data), str(Path(doc.name).with_suffix(".pdf"))
            zf.writestr(name, data)
            entries.append(
                {
                    "name": name,
                    "proposer": people[i] if i < len(people) else None,
                    "kind": doc.kind,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "findings": [f.to_dict() for f in doc.findings],
                }
            )
        manifest = {"case": body.record.case.label, "files": entries}
        zf.writestr(FORMS_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    name = f"{body.record.case.label}-征询意见表.zip"
    findings = docs[0].findings if docs else ()
    return _file_response(buffer.getvalue(), name, ZIP_TYPE, findings)


@router.post(
    "/render/report",
    response_class=Response,
    summary="生成年度办理工作总结 / render the annual report",
    description="红头文件格式；一、基本情况由统计数据生成，"
    "其余各节取自 narrative（按一级标题分节）。"
    "先运行全部案件规则和年度规则（含总结正文中的数字与统计是否一致），有错误时返回 422。\n\n"
    "Runs the case and year rules first (422 with the findings on errors).",
    responses=_DOCX_CONTENT,
)
def render_report_endpoint(
    request: Request, body: ReportRequest, format: FormatQuery = "docx"
) -> Response:
    state = _state(request)
    org = body.organisation or body.year.organisation
    if org is None:
        raise RequestRejected(
            422, [("organisation", "缺少承办单位：请提供 organisation，或在 year 中写明")]
        )
    for i, rec in enumerate(body.year.cases):
        _no_server_files(rec, f"year.cases[{i}]")
    try:
        doc = render_annual_report(
            body.year,
            org,
            body.narrative,
            chart=body.chart,
            doc_number=body.doc_number,
            report_date=body.report_date,
            today=body.today,
        )
    except CheckFailed as exc:
        raise _year_problem(exc, body.year) from None
    return _document(state, doc, format, doc.findings)


def _year_problem(exc: CheckFailed, year: HandlingYear) -> RequestRejected:
    """Check errors of a report, each at its place in the request (``year.cases[3].reply…``)."""
    index = {rec.case.label: i for i, rec in enumerate(year.cases)}
    errors: list[tuple[str, str]] = []
    for f in exc.findings:
        if f.severity is not Severity.ERROR:
            continue
        if f.case is not None and f.case in index:
            path = _join(f"year.cases[{index[f.case]}]", f.path)
            errors.append((path, f"{f.case}：{f.message}"))
        elif f.path.startswith("narrative"):
            errors.append((f.path, f.message))
        else:
            errors.append((_join("year", f.path), f.message))
    return RequestRejected(422, errors, exc.findings)


@router.post(
    "/batch",
    response_class=Response,
    summary="批量生成 / batch: a ledger to a zip of documents",
    description="上传台账（xlsx、csv、json、yaml）和承办单位文件（yaml、json），按 gongwen batch "
    "生成全部答复函、征询意见表和工作总结，打包为 zip，内含 manifest.json（每个文件的案件、类别、"
    "SHA-256；skipped 列出有错误而未生成的行和案件，台账行的错误不会使整个请求失败）、"
    "results.json（每个结果的状态、案件、行、文件、说明和检查结果）和 "
    "numbers.json（自动编号时的发文字号）。响应头 X-Gongwen-Written、X-Gongwen-Failed 为计数。\n\n"
    "Multipart upload of a ledger and an organisation file → a zip with manifest.json; rows with "
    "errors are listed in the manifest's skipped, not fatal.",
    responses={
        200: {
            "description": "zip：文档、manifest.json、results.json、numbers.json（自动编号时）",
            "content": {ZIP_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **error_responses(413, 422, 500),
    },
)
async def batch_endpoint(
    request: Request,
    ledger: Annotated[
        UploadFile,
        File(description="台账文件：.xlsx/.csv（表头见 docs/integration.md）或 .json/.yaml"),
    ],
    organisation: Annotated[UploadFile, File(description="承办单位文件：.yaml 或 .json")],
    what: Annotated[
        str, Form(description="生成哪些文档，逗号分隔：replies、forms、report")
    ] = "replies,forms,report",
    variant: Annotated[
        str, Form(description="答复函格式：letter（信函）或 file（文件）")
    ] = "letter",
    merge: Annotated[bool, Form(description="另生成答复函合订本")] = False,
    simplex: Annotated[
        bool,
        Form(description="合订本按单面打印：每件另起一页、页码重排，不补空白页（与 merge 同用）"),
    ] = False,
    today: Annotated[str | None, Form(description="检查日期，如 2024-12-31（默认今天）")] = None,
    allow_partial: Annotated[
        bool, Form(description="台账有行无法读取时仍生成工作总结（总结中注明未计入的行数）")
    ] = False,
    draft: Annotated[bool, Form(description="不自动编号（发文字号留空待填）")] = False,
) -> Response:
    limit = _state(request).settings.max_upload_bytes
    ledger_suffix = _suffix(ledger, "ledger", LEDGER_SUFFIXES)
    org_suffix = _suffix(organisation, "organisation", ORG_SUFFIXES)
    ledger_data = await _read_upload(ledger, "ledger", limit)
    org_data = await _read_upload(organisation, "organisation", limit)
    org = _organisation(org_data, org_suffix)
    day = _form_date(today, "today")
    try:
        options = BatchOptions.of(
            what=[w.strip() for w in what.split(",") if w.strip()],
            variant=variant,  # type: ignore[arg-type]  # BatchOptions refuses others in Chinese
            merge=merge,
            today=day,
            allow_partial=allow_partial,
            draft=draft,
            simplex=simplex,
        )
    except GongwenError as exc:
        raise gongwen_problem(exc) from None
    if ledger_suffix in (".json", ".yaml", ".yml"):
        _no_attachments_in(ledger_data, ledger_suffix)
    filename = Path(ledger.filename or f"ledger{ledger_suffix}").name
    return await run_in_threadpool(_batch, ledger_data, ledger_suffix, filename, org, options)


def _organisation(data: bytes, suffix: str) -> Organisation:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequestRejected(422, [("organisation", "承办单位文件不是 UTF-8 编码")]) from None
    try:
        raw = parse_data(text, f"organisation{suffix}", json_format=suffix == ".json")
    except ValueError as exc:
        raise RequestRejected(422, [("organisation", f"无法解析承办单位文件：{exc}")]) from None
    try:
        return Organisation.model_validate(raw)
    except ValidationError as exc:
        raise RequestRejected(422, error_list(exc, "organisation")) from None


def _form_date(value: str | None, field: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise RequestRejected(422, [(field, f"日期有误：{exc}，应写作 2024-12-31")]) from None


def _no_attachments_in(data: bytes, suffix: str) -> None:
    """A year or ledger file sent over HTTP may not name files on the server (attachments)."""
    try:
        raw = parse_data(data.decode("utf-8-sig"), f"ledger{suffix}", json_format=suffix == ".json")
    except (ValueError, UnicodeDecodeError):
        return  # the batch reports the unreadable file itself, in Chinese
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                where = f"{path}.{k}" if path else str(k)
                if k in ("attachments", "附件") and v:
                    found.append(where)
                else:
                    walk(v, where)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(raw, "ledger")
    if found:
        message = "通过 HTTP 接口上传的文件不能引用服务器上的附件文件；请删去附件"
        raise RequestRejected(422, [(p, message) for p in found])


def _batch(
    ledger: bytes, suffix: str, filename: str, org: Organisation, options: BatchOptions
) -> Response:
    """Run the batch into a temporary folder and zip what it wrote (manifest included)."""
    with tempfile.TemporaryDirectory(prefix="gongwen-api-") as tmp:
        source = Path(tmp) / f"ledger{suffix}"
        source.write_bytes(ledger)
        out = Path(tmp) / "out"
        counts: Counter[str] = Counter()
        results: list[dict[str, Any]] = []
        try:
            run = BatchRun(source, org, out, options=options)
            for result in run:
                counts["written" if result.ok else "failed"] += 1
                results.append(_result_entry(result))
        except GongwenError as exc:
            raise _ledger_problem(exc, source) from None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(BATCH_RESULTS, json.dumps(results, ensure_ascii=False, indent=1))
            for path in sorted(out.iterdir()):
                if path.name == MANIFEST:
                    zf.writestr(MANIFEST, _public_manifest(path, filename))
                elif path.is_file() and not path.name.startswith("."):
                    zf.write(path, path.name)
    name = f"{org.name}-批量生成.zip"
    response = _file_response(buffer.getvalue(), name, ZIP_TYPE)
    response.headers["X-Gongwen-Written"] = str(counts["written"])
    response.headers["X-Gongwen-Failed"] = str(counts["failed"])
    return response


def _result_entry(r: BatchResult) -> dict[str, Any]:
    """One result of the batch for ``results.json`` (no server paths, no bytes)."""
    return {
        "status": r.status,
        "status_label": STATUS_LABELS[r.status],
        "kind": r.kind,
        "case": r.case,
        "row": r.row,
        "file": r.name,
        "sha256": r.sha256,
        "message": r.message,
        "problems": [p.to_dict() for p in r.problems],
        "findings": [f.to_dict() for f in r.findings],
    }


def _public_manifest(path: Path, filename: str) -> str:
    """The batch's manifest with the upload's file name in place of the server's temp path."""
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if "source" in manifest:
        manifest["source"] = filename
    return json.dumps(manifest, ensure_ascii=False, indent=1)


def _ledger_problem(exc: GongwenError, source: Path) -> RequestRejected:
    """A ledger that cannot be read: the message without the server's temporary path."""
    problem = gongwen_problem(exc, prefix="ledger")
    clean = [(p, m.replace(str(source), "上传的台账")) for p, m in problem.errors]
    return RequestRejected(problem.status, clean, problem.findings)


@router.post(
    "/verify",
    response_model=CheckResponse,
    summary="核对 docx 版式 / verify a docx",
    description="按 GB/T 9704-2012 核对任何 docx 的版式（规则 D1–D14）；pages=1 时另经 LibreOffice "
    "排版后核对印出的每一页（P1–P8）。\n\n"
    "The docx rules D1–D14; with pages=1 also the page rules P1–P8 through LibreOffice.",
    responses=error_responses(413, 422, 503),
)
async def verify_endpoint(
    request: Request,
    file: Annotated[UploadFile, File(description="要核对的 .docx 文件")],
    pages: Annotated[
        bool, Query(description="1/true：另核对印出的每一页（经 LibreOffice，较慢）")
    ] = False,
) -> CheckResponse:
    state = _state(request)
    data = await _read_upload(file, "file", state.settings.max_upload_bytes)
    return await run_in_threadpool(_verify, state, data, pages)


def _verify(state: WebState, data: bytes, pages: bool) -> CheckResponse:
    try:
        findings = verify(data)
        if pages:
            ctx = load_docx(data)
            findings += check_pdf(state.to_pdf(ctx.package.data), ctx.kind)
    except GongwenError as exc:
        raise gongwen_problem(exc, prefix="file") from None
    return _check_response(findings)


# --------------------------------------------------------------------------- mounting


def _limit(scope: Any) -> int | None:
    app = scope.get("app")
    state = getattr(getattr(app, "state", None), "gongwen", None)
    if isinstance(state, WebState):
        return state.settings.max_upload_bytes
    return MAX_UPLOAD_BYTES


def mount(app: FastAPI) -> None:
    """Add ``/api/v1`` to ``app``: the router, the JSON error handlers for ``/api/`` paths and
    the request size limit (``WebState.settings.max_upload_bytes``, 413 beyond it).

    Call it from ``create_app`` after the app's own exception handlers are installed (those stay
    in force outside ``/api/``) and before the app starts.
    """
    assert PREFIX.startswith(API_PREFIX.rstrip("/"))
    app.include_router(router)
    install(app)
    app.add_middleware(BodyLimit, limit=_limit)
