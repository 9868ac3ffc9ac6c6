"""The pages of the workbench: start/import, case list, case page, preview, downloads, report.

Handlers read the request, call :mod:`gongwen.web.service` (the library, as the CLI does) and
render a Jinja2 template. Heavy work (rendering, LibreOffice) runs in the thread pool.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from gongwen.documents.plan import DocKind, PlannedDocument
from gongwen.errors import (
    CheckFailed,
    GongwenError,
    InputError,
    NoWorkspace,
    StaleRevision,
    WorkspaceExists,
)
from gongwen.findings import Finding, Severity
from gongwen.models.config import ALL_DISCLOSURES
from gongwen.models.enums import CaseKind, ContactMethod, HandlingRole
from gongwen.models.organisation import Organisation
from gongwen.models.year import FOLLOW_UP_KINDS, CaseRecord
from gongwen.store import StoredCase
from gongwen.text.dates import parse_date
from gongwen.web import service
from gongwen.web.forms import (
    GROUPS,
    NEW_FOLLOW_FIELDS,
    NOTICE_FIELDS,
    TEXT_FIELDS,
    ReplyForm,
    by_field,
    follow_target,
    is_target,
    new_follow_boxes,
    new_follow_up,
    notice_boxes,
    notice_values,
    tabs,
    target_of,
    target_reply,
    with_notice,
)
from gongwen.web.security import (
    ANONYMOUS,
    SESSION_COOKIE,
    USER_COOKIE,
    authorised,
    safe_next,
    same_secret,
    session_value,
    user_cookie,
    user_of,
)
from gongwen.web.state import Preview, WebState
from gongwen.web.templating import render_page

router = APIRouter()

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Resolution of the page images (a page of A4 is about 794 × 1123 pixels at 96 dpi).
PREVIEW_DPI = 96
_ATTACHMENT_NAME = re.compile(r"[^\w\u4e00-\u9fff.()（）\-]+")


# --------------------------------------------------------------------------- helpers


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.gongwen
    return state


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page rendered from template ``name`` with the layout's common context."""
    state = _state(request)
    html = render_page(name, **base_context(request, state), **context)
    return HTMLResponse(html, status_code=status)


def base_context(request: Request | None, state: WebState | None) -> dict[str, Any]:
    """What the layout needs: the user, whether a token is required and held, the workspace."""
    token = state.settings.token if state is not None else None
    workspace = None
    if state is not None:
        try:
            workspace = state.store.workspace()
        except GongwenError:
            workspace = None
    return {
        "user": user_of(request) if request is not None else ANONYMOUS,
        "token_on": bool(token),
        "logged_in": request is not None and authorised(request, token),
        "workspace": workspace,
        "path": request.url.path if request is not None else "/",
    }


def error_page(request: Request, title: str, message: str, status: int) -> HTMLResponse:
    """A Chinese error page (never a traceback, even when the layout itself fails)."""
    try:
        return page(request, "error.html", status, title=title, message=message)
    except Exception:  # the store or a template is broken: a bare page still says what happened
        from html import escape

        body = (
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>出错了</title>'
            f'<h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href="/">回到首页</a></p>'
        )
        return HTMLResponse(body, status_code=status)


def _download(data: bytes, filename: str, media_type: str) -> Response:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


async def _form(request: Request) -> tuple[dict[str, str], dict[str, UploadFile]]:
    form = await request.form()
    texts: dict[str, str] = {}
    files: dict[str, UploadFile] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                files[key] = value
        else:
            texts[key] = value
    return texts, files


def _author(request: Request, texts: Mapping[str, str]) -> str:
    name = texts.get("author", "").strip()[:40]
    return name or user_of(request)


def _with_user(response: Response, author: str) -> Response:
    if author != ANONYMOUS:
        response.set_cookie(USER_COOKIE, user_cookie(author), samesite="strict", httponly=True)
    return response


def _revision(texts: Mapping[str, str], name: str = "revision") -> int:
    value = texts.get(name, "")
    if not value.isdigit():
        raise InputError("表单缺少所依据的版本号，请刷新页面后重新修改")
    return int(value)


def _target(value: str | None, record: CaseRecord) -> str:
    """The reply to edit: ``value`` when the record has it, else the first reply."""
    if value is None or not is_target(value):
        return "reply"
    if value != "reply" and target_reply(record, value) is None:
        return "reply"  # a later reply the record does not have (yet, or any more)
    return value


def _document_targets(record: CaseRecord, documents: list[PlannedDocument]) -> dict[int, str]:
    """Index of each planned reply document → the target whose form edits it (for 编辑 links)."""
    by_reply = {id(r.reply): target_of(r.path) for r in record.rounds}
    skip = {DocKind.EXTENSION, DocKind.FORM}
    return {
        i: by_reply[id(d.reply)]
        for i, d in enumerate(documents)
        if d.kind not in skip and id(d.reply) in by_reply
    }


# --------------------------------------------------------------------------- login


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", next=safe_next(next), failed=False)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    texts, _files = await _form(request)
    token = _state(request).settings.token
    target = safe_next(texts.get("next"))
    name = texts.get("author", "").strip()
    if token and not same_secret(texts.get("token", ""), token):
        return page(request, "login.html", 401, next=target, failed=True)
    response = RedirectResponse(target, status_code=303)
    if token:
        response.set_cookie(
            SESSION_COOKIE, session_value(token), httponly=True, samesite="strict", path="/"
        )
    return _with_user(response, name) if name else response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --------------------------------------------------------------------------- start and import


@router.get("/", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    return page(request, "start.html", count=_case_count(_state(request)), imported=None)


def _case_count(state: WebState) -> int:
    """How many cases the current workspace holds (0 before any import)."""
    return len(state.store.cases()) if state.store.workspace() is not None else 0


def _without_folder(message: str, folder: Path, name: str) -> str:
    """A message about an uploaded file naming the file as the user chose it, not where the
    server kept it for reading."""
    for kept in sorted(folder.rglob("*"), key=lambda p: -len(str(p))):
        message = message.replace(str(kept), kept.name if kept.is_file() else "")
    return message.replace(str(folder), name)


def _save_upload(upload: UploadFile, folder: Path) -> Path:
    name = Path(upload.filename or "upload").name or "upload"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    upload.file.seek(0)
    target.write_bytes(upload.file.read())
    return target


@router.post("/import", response_class=HTMLResponse)
async def import_files(request: Request) -> Response:
    texts, files = await _form(request)
    ledger = files.get("ledger")
    if ledger is None:
        return error_page(request, "无法导入", "请选择台账（xlsx/csv/json/yaml）或年度文件", 422)
    author = _author(request, texts)
    state = _state(request)
    with tempfile.TemporaryDirectory(prefix="gongwen-upload-") as tmp:
        folder = Path(tmp)
        ledger_path = _save_upload(ledger, folder)
        org_upload = files.get("organisation")
        org_path = _save_upload(org_upload, folder / "org") if org_upload else None
        embedded: Organisation | None = None
        if org_path is None:
            try:
                embedded = state.store.organisation()
            except NoWorkspace:
                embedded = None
        try:
            imported = await run_in_threadpool(
                service.read_upload, ledger_path, org_path, embedded=embedded
            )
        except InputError as exc:
            message = _without_folder(str(exc), folder, ledger.filename or ledger_path.name)
            count = await run_in_threadpool(_case_count, state)
            return page(request, "start.html", 422, count=count, imported=None, error=message)
    return await run_in_threadpool(
        _finish_import, request, imported, ledger.filename or "", texts, author
    )


def _finish_import(
    request: Request, imported: service.Imported, source: str, texts: Mapping[str, str], author: str
) -> Response:
    state = _state(request)
    problems = [f for f in imported.findings]
    blocking = imported.left_out > 0 and texts.get("allow_partial") != "1"
    error = ""
    if imported.organisation is None:
        error = "请同时选择单位信息文件（organisation.yaml）：所导入的文件中没有单位信息"
    elif imported.year is None:
        error = "文件中没有可以导入的案件"
    elif blocking:
        error = (
            f"台账有 {imported.left_out} 行无法读取（见下表）；请改正后重新导入，"
            "或勾选“仍导入可读取的行”"
        )
    if error:
        return page(
            request,
            "start.html",
            422,
            count=_case_count(state),
            imported=imported,
            problems=problems,
            error=error,
        )
    assert imported.year is not None and imported.organisation is not None
    try:
        ids = state.store.import_year(
            imported.year,
            imported.organisation,
            author=author,
            source=source,
            replace=texts.get("replace") == "1",
        )
    except WorkspaceExists as exc:
        return page(
            request,
            "start.html",
            409,
            count=_case_count(state),
            imported=imported,
            problems=problems,
            error=str(exc),
        )
    return _with_user(
        page(
            request,
            "imported.html",
            count=len(ids),
            imported=imported,
            problems=problems,
            source=source,
        ),
        author,
    )


@router.post("/import/demo")
def import_demo(request: Request) -> Response:
    state = _state(request)
    load_demo(state, author=user_of(request), replace=True)
    return RedirectResponse("/cases", status_code=303)


def load_demo(state: WebState, *, author: str = "示例", replace: bool = False) -> list[int]:
    """Import the embedded example (year, organisation, narrative) into the store."""
    from gongwen.ledger.files import load_organisation, load_year

    year_path, org_path, narrative_path = service.demo_files()
    year = load_year(year_path)
    org = load_organisation(org_path)
    ids = state.store.import_year(year, org, author=author, source="内置示例", replace=replace)
    report = state.store.report()
    if report.revision == 0:
        state.store.save_report(
            narrative_path.read_text(encoding="utf-8"),
            None,
            base_revision=0,
            author=author,
        )
    return ids


# --------------------------------------------------------------------------- the case list


@router.get("/cases", response_class=HTMLResponse)
def case_list(
    request: Request, kind: str = "", cls: str = "", unit: str = "", state: str = ""
) -> HTMLResponse:
    ws = _state(request)
    rows = service.case_rows(ws)
    kinds = [k.value for k in CaseKind if any(r.record.case.kind is k for r in rows)]
    classes = sorted({r.answer_class for r in rows if r.answer_class})
    units = sorted({u for r in rows for u in r.units})
    states = [s.value for s in service.CaseState]
    shown = [
        r
        for r in rows
        if (not kind or r.record.case.kind.value == kind)
        and (not cls or (r.answer_class or "无") == cls)
        and (not unit or unit in r.units)
        and (not state or r.state.value == state)
    ]
    counts = {s: sum(1 for r in rows if r.state.value == s) for s in states}
    return page(
        request,
        "cases.html",
        rows=shown,
        total=len(rows),
        kinds=kinds,
        classes=classes,
        units=units,
        states=states,
        counts=counts,
        chosen={"kind": kind, "cls": cls, "unit": unit, "state": state},
    )


# --------------------------------------------------------------------------- the case page


def _case_page(
    request: Request,
    stored: StoredCase,
    form: ReplyForm,
    findings: list[Finding],
    *,
    status: int = 200,
    revision: int | None = None,
    message: str = "",
    stale: str = "",
    saved: bool = False,
    new_follow: Mapping[str, str] | None = None,
    new_findings: list[Finding] | None = None,
    notice: Mapping[str, str] | None = None,
    notice_problems: list[Finding] | None = None,
) -> HTMLResponse:
    state = _state(request)
    org = state.organisation()
    documents = service.planned(stored.record)
    latest = stored.record.final_reply
    c = stored.record.case
    kept = state.store.documents(stored.id)
    return page(
        request,
        "case.html",
        status,
        stored=stored,
        record=stored.record,
        form=form,
        target=form.target,
        revision=stored.revision if revision is None else revision,
        boxes=by_field(findings, form.target),
        findings=findings,
        fixes=service.fixable(findings),
        labels=TEXT_FIELDS,
        groups=GROUPS,
        classes=org.config.class_scheme.classes,
        disclosures=[d for d in org.config.disclosure_vocabulary if d in ALL_DISCLOSURES],
        methods=[m.value for m in ContactMethod],
        documents=list(enumerate(documents)),
        doc_targets=_document_targets(stored.record, documents),
        tabs=tabs(stored.record),
        tab_label=next(
            (t.label for t in tabs(stored.record) if t.target == form.target), "首次答复"
        ),
        follow_kinds=[k.value for k in FOLLOW_UP_KINDS],
        follow_on=stored.record.reply is not None and c.role is not HandlingRole.ASSIST,
        new_follow=dict(
            new_follow or {"result_class": (latest.result_class or "") if latest else ""}
        ),
        new_boxes=new_follow_boxes(new_findings or [], len(stored.record.follow_ups)),
        new_labels=NEW_FOLLOW_FIELDS,
        notice_on=c.extended_to is not None and c.role is not HandlingRole.ASSIST,
        notice=dict(notice or notice_values(stored.record)),
        notice_boxes=notice_boxes([*findings, *(notice_problems or [])]),
        notice_labels=NOTICE_FIELDS,
        kept=kept,
        history=state.store.revisions(stored.id),
        message=message,
        stale=stale,
        saved=saved,
        state=service.state_of(findings, state.generated_at(stored.id, stored.revision)),
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, target: str = "reply", saved: int = 0) -> Response:
    state = _state(request)
    stored = state.store.case(case_id)
    which = _target(target, stored.record)
    form = ReplyForm.of(stored.record, which)
    findings = service.check_case(stored.record, state.organisation())
    return _case_page(request, stored, form, findings, saved=bool(saved))


async def _edited(
    request: Request, case_id: int
) -> tuple[StoredCase, ReplyForm, dict[str, str], dict[str, UploadFile]]:
    texts, files = await _form(request)
    form = ReplyForm.parse(texts)
    stored = await run_in_threadpool(_state(request).store.case, case_id)
    return stored, form, texts, files


@router.post("/cases/{case_id}/check", response_class=HTMLResponse)
async def case_check(request: Request, case_id: int) -> HTMLResponse:
    """Validate the form as typed (nothing saved): the findings beside each field (htmx)."""
    stored, form, _texts, _files = await _edited(request, case_id)
    findings = await run_in_threadpool(_form_findings, request, stored, form)
    html = render_page(
        "_findings.html",
        boxes=by_field(findings, form.target),
        findings=findings,
        fixes=service.fixable(findings),
        fix_url=f"/cases/{case_id}/fix",
        oob=True,
    )
    return HTMLResponse(html)


def _form_findings(request: Request, stored: StoredCase, form: ReplyForm) -> list[Finding]:
    record, invalid = form.record(stored.record)
    if record is None:
        return invalid
    return service.check_case(record, _state(request).organisation())


def _keep_attachment(
    request: Request, case_id: int, form: ReplyForm, texts: Mapping[str, str], upload: UploadFile
) -> str:
    """Keep an uploaded attachment file in ``--data`` and add it to the form; returns an error."""
    from gongwen.models.reply import ATTACHMENT_SUFFIXES

    name = Path(upload.filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        return f"附件文件应为 {'、'.join(ATTACHMENT_SUFFIXES)}，而不是“{suffix or name}”"
    folder = _state(request).settings.data_dir / "attachments" / str(case_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = _ATTACHMENT_NAME.sub("_", Path(name).stem)[:60] or "附件"
    target = folder / f"{int(time.time() * 1000)}-{stem}{suffix}"
    upload.file.seek(0)
    target.write_bytes(upload.file.read())
    title = texts.get("attachment_title", "").strip() or Path(name).stem
    form.rows.setdefault("attachments", []).append({"title": title, "file": str(target)})
    return ""


@router.post("/cases/{case_id}", response_class=HTMLResponse)
async def case_save(request: Request, case_id: int) -> Response:
    stored, form, texts, files = await _edited(request, case_id)
    base = _revision(texts)
    author = _author(request, texts)
    upload = files.get("attachment_file")
    if upload is not None:
        problem = await run_in_threadpool(_keep_attachment, request, case_id, form, texts, upload)
        if problem:
            return await run_in_threadpool(
                _case_page, request, stored, form, [], status=422, revision=base, message=problem
            )
    return await run_in_threadpool(
        _save, request, stored, form, base, author, texts.get("note", "").strip()
    )


def _save(
    request: Request, stored: StoredCase, form: ReplyForm, base: int, author: str, note: str
) -> Response:
    state = _state(request)
    record, invalid = form.record(stored.record)
    if record is None:
        return _case_page(
            request,
            stored,
            form,
            invalid,
            status=422,
            revision=base,
            message="有的内容不符合要求，未保存（见各栏旁的说明）",
        )
    return _commit(
        request,
        stored,
        record,
        base=base,
        author=author,
        note=note,
        target=form.target,
        stale=lambda message: _case_page(
            request,
            stored,
            form,
            service.check_case(record, state.organisation()),
            status=409,
            revision=base,
            stale=message,
        ),
    )


def _commit(
    request: Request,
    stored: StoredCase,
    record: CaseRecord,
    *,
    base: int,
    author: str,
    note: str,
    target: str,
    stale: Callable[[str], Response],
    preview: bool = True,
) -> Response:
    """Save ``record`` as the case's next revision (based on revision ``base``) and go back to
    its ``target`` form, that reply's preview being prepared when ``preview``; when someone else
    saved the case in between, the page ``stale`` makes of the refusal's message."""
    state = _state(request)
    try:
        saved = state.store.save_case(
            stored.id, record, base_revision=base, author=author, note=note
        )
    except StaleRevision as exc:
        return stale(str(exc))
    if preview:
        _prepare_preview(state, saved.id, saved.revision, target)
    url = f"/cases/{saved.id}?" + urlencode({"target": target, "saved": 1})
    return _with_user(RedirectResponse(url, status_code=303), author)


async def _posted(request: Request, case_id: int) -> tuple[StoredCase, dict[str, str], int, str]:
    """A posted form of the case page: the stored case, the texts, their revision and author."""
    texts, _files = await _form(request)
    stored = await run_in_threadpool(_state(request).store.case, case_id)
    return stored, texts, _revision(texts), _author(request, texts)


@router.post("/cases/{case_id}/follow-ups", response_class=HTMLResponse)
async def case_add_follow_up(request: Request, case_id: int) -> Response:
    """Add a follow-up (跟踪答复 or 重新办理) to the case and open its tab."""
    stored, texts, base, author = await _posted(request, case_id)
    return await run_in_threadpool(_add_follow_up, request, stored, texts, base, author)


def _add_follow_up(
    request: Request, stored: StoredCase, texts: Mapping[str, str], base: int, author: str
) -> Response:
    state = _state(request)
    values = {name: texts.get(name, "") for name in NEW_FOLLOW_FIELDS}
    record, invalid = new_follow_up(stored.record, values)
    current = ReplyForm.of(stored.record, _target(texts.get("target"), stored.record))
    findings = service.check_case(stored.record, state.organisation())
    if record is None:
        return _case_page(
            request,
            stored,
            current,
            findings,
            status=422,
            revision=base,
            message="后续答复未能新增：有的内容不符合要求（见“新增后续答复”各栏旁的说明）",
            new_follow=values,
            new_findings=invalid,
        )
    return _commit(
        request,
        stored,
        record,
        base=base,
        author=author,
        note=f"新增{values['kind']}",
        target=follow_target(len(record.follow_ups) - 1),
        stale=lambda message: _case_page(
            request,
            stored,
            current,
            findings,
            status=409,
            revision=base,
            stale=message,
            new_follow=values,
        ),
    )


@router.post("/cases/{case_id}/extension", response_class=HTMLResponse)
async def case_extension(request: Request, case_id: int) -> Response:
    """Record the extension notice sent (its date and 文号), or remove it when both are empty."""
    stored, texts, base, author = await _posted(request, case_id)
    return await run_in_threadpool(_save_notice, request, stored, texts, base, author)


def _save_notice(
    request: Request, stored: StoredCase, texts: Mapping[str, str], base: int, author: str
) -> Response:
    state = _state(request)
    values = {name: texts.get(name, "") for name in NOTICE_FIELDS}
    target = _target(texts.get("target"), stored.record)
    record, invalid = with_notice(stored.record, values)
    current = ReplyForm.of(stored.record, target)
    if record is None:
        findings = service.check_case(stored.record, state.organisation())
        return _case_page(
            request,
            stored,
            current,
            findings,
            status=422,
            revision=base,
            message="延期办理告知函未保存：有的内容不符合要求（见“延期办理”各栏旁的说明）",
            notice=values,
            notice_problems=invalid,
        )
    return _commit(
        request,
        stored,
        record,
        base=base,
        author=author,
        note="延期办理告知函",
        target=target,
        preview=False,
        stale=lambda message: _case_page(
            request,
            stored,
            current,
            service.check_case(record, state.organisation()),
            status=409,
            revision=base,
            stale=message,
            notice=values,
        ),
    )


@router.post("/cases/{case_id}/fix", response_class=HTMLResponse)
async def case_fix(request: Request, case_id: int) -> Response:
    """Apply every safe fix to the form as typed and save it as a new revision."""
    stored, form, texts, _files = await _edited(request, case_id)
    base = _revision(texts)
    author = _author(request, texts)
    return await run_in_threadpool(_fix, request, stored, form, base, author)


def _fix(request: Request, stored: StoredCase, form: ReplyForm, base: int, author: str) -> Response:
    state = _state(request)
    record, invalid = form.record(stored.record)
    if record is None:
        return _case_page(
            request,
            stored,
            form,
            invalid,
            status=422,
            revision=base,
            message="有的内容不符合要求，无法修正（见各栏旁的说明）",
        )
    findings = service.check_case(record, state.organisation())
    fixes = service.fixable(findings)
    fixed = service.with_fixes(record, fixes)
    codes = "、".join(sorted({f.code for f in fixes}))
    fixed_form = ReplyForm.of(fixed, form.target)
    return _commit(
        request,
        stored,
        fixed,
        base=base,
        author=author,
        note=f"安全修正 {codes}".strip(),
        target=form.target,
        stale=lambda message: _case_page(
            request, stored, fixed_form, findings, status=409, revision=base, stale=message
        ),
    )


# --------------------------------------------------------------------------- preview


def make_preview(state: WebState, case_id: int, revision: int, target: str) -> Preview | None:
    """The laid-out pages of a case's reply at a revision (kept for the images' requests)."""
    return state.preview(
        (case_id, revision, target), lambda: _lay_out(state, case_id, revision, target)
    )


def _lay_out(state: WebState, case_id: int, revision: int, target: str) -> Preview | None:
    from concurrent.futures import ThreadPoolExecutor

    from gongwen.preview import pdf_to_png
    from gongwen.verify import load_docx
    from gongwen.verify.pages import check_pdf

    record = state.store.record_at(case_id, revision)
    doc = service.reply_document(record, target)
    if doc is None:
        return None
    org = state.organisation()
    started = time.perf_counter()
    docx = service.render(record, doc, org, check=False)
    pdf = state.to_pdf(docx)
    with ThreadPoolExecutor(max_workers=1) as pool:  # pdftoppm runs while the pages are checked
        images = pool.submit(pdf_to_png, pdf, PREVIEW_DPI)
        findings = check_pdf(pdf, load_docx(docx).kind, org.config.checks)
        pages = images.result()
    return Preview(tuple(pages), tuple(findings), pdf, time.perf_counter() - started)


def _prepare_preview(state: WebState, case_id: int, revision: int, target: str) -> None:
    """After a save, lay the new revision out at once (``gongwen serve``): the page that the
    save redirects to finds it ready or nearly so."""
    if not state.settings.warm:
        return

    def run() -> None:
        with contextlib.suppress(Exception):  # the page's own request reports any failure
            make_preview(state, case_id, revision, target)

    threading.Thread(target=run, daemon=True).start()


@router.get("/cases/{case_id}/preview", response_class=HTMLResponse)
async def case_preview(request: Request, case_id: int, target: str = "reply") -> HTMLResponse:
    state = _state(request)
    stored = await run_in_threadpool(state.store.case, case_id)
    which = _target(target, stored.record)
    try:
        made = await run_in_threadpool(make_preview, state, case_id, stored.revision, which)
    except GongwenError as exc:
        return HTMLResponse(
            render_page("_preview.html", made=None, error=str(exc), stored=stored, target=which)
        )
    return HTMLResponse(
        render_page("_preview.html", made=made, error="", stored=stored, target=which)
    )


@router.get("/cases/{case_id}/preview/{revision}/{target}/{number}.png")
async def preview_image(
    request: Request, case_id: int, revision: int, target: str, number: int
) -> Response:
    state = _state(request)
    if not is_target(target):
        return error_page(request, "没有此预览", f"无法识别的答复“{target}”", 404)
    made = await run_in_threadpool(make_preview, state, case_id, revision, target)
    if made is None or not 1 <= number <= len(made.pages):
        return error_page(request, "没有此页", f"预览中没有第 {number} 页", 404)
    return Response(
        made.pages[number - 1],
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600"},
    )


# --------------------------------------------------------------------------- downloads


def _case_document(state: WebState, case_id: int, index: int, fmt: str) -> tuple[bytes, str, str]:
    stored = state.store.case(case_id)
    documents = service.planned(stored.record)
    if not 0 <= index < len(documents):
        raise InputError(f"{stored.label}没有第 {index + 1} 份文档")
    doc = documents[index]
    data = service.render(stored.record, doc, state.organisation())
    state.store.add_document(
        stored.id, revision=stored.revision, kind=doc.kind.value, filename=doc.name, data=data
    )
    if fmt == "pdf":
        return state.to_pdf(data), service.pdf_name(doc.name), "application/pdf"
    return data, doc.name, DOCX_TYPE


@router.get("/cases/{case_id}/documents/{index}")
async def case_document(
    request: Request, case_id: int, index: int, format: str = "docx"
) -> Response:
    if format not in ("docx", "pdf"):
        return error_page(request, "无法下载", f"格式应为 docx 或 pdf，而不是“{format}”", 422)
    try:
        data, name, kind = await run_in_threadpool(
            _case_document, _state(request), case_id, index, format
        )
    except CheckFailed as exc:
        back, label = _document_form(_state(request), case_id, index)
        return _check_failed(request, exc, back, label)
    return _download(data, name, kind)


def _document_form(state: WebState, case_id: int, index: int) -> tuple[str, str]:
    """The case page that edits document ``index`` of the case (its reply's tab)."""
    stored = state.store.case(case_id)
    documents = service.planned(stored.record)
    target = _document_targets(stored.record, documents).get(index, "reply")
    return f"/cases/{case_id}?target={target}", f"回到{stored.label}案件页修改"


def _check_failed(
    request: Request, exc: CheckFailed, back: str = "", back_label: str = ""
) -> HTMLResponse:
    errors = [f for f in exc.findings if f.severity is Severity.ERROR]
    return page(
        request,
        "error.html",
        422,
        title="有错误，不能生成",
        message="请先改正以下错误，再生成文档：",
        findings=errors,
        back=back,
        back_label=back_label,
    )


@router.get("/documents/{doc_id}")
def kept_document(request: Request, doc_id: int) -> Response:
    state = _state(request)
    doc = state.store.document(doc_id)
    return _download(state.store.document_bytes(doc_id), doc.filename, DOCX_TYPE)


@router.get("/downloads", response_class=HTMLResponse)
def downloads(request: Request) -> HTMLResponse:
    state = _state(request)
    rows = service.case_rows(state)
    documents = {r.id: list(enumerate(service.planned(r.record))) for r in rows}
    return page(
        request, "downloads.html", rows=rows, documents=documents, archive=_archive_available()
    )


def _archive_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gongwen.archive") is not None


def _year_inputs(state: WebState) -> tuple[Any, Organisation, str, date | None]:
    year = state.store.year()
    org = state.organisation()
    report = state.store.report()
    return year, org, report.narrative or "", report.date


@router.get("/downloads/all.zip")
async def download_all(request: Request) -> Response:
    state = _state(request)
    year, org, narrative, day = await run_in_threadpool(_year_inputs, state)
    data, _problems = await run_in_threadpool(service.batch_zip, year, org, narrative, day)
    return _download(data, f"{year.year}年度建议提案答复.zip", "application/zip")


@router.get("/downloads/merged")
async def download_merged(request: Request, format: str = "docx") -> Response:
    state = _state(request)
    year, org, _narrative, _day = await run_in_threadpool(_year_inputs, state)
    data, _problems = await run_in_threadpool(service.merged_letters, year, org)
    from gongwen.batch.run import MERGE_NAME

    if format == "pdf":
        pdf = await run_in_threadpool(state.to_pdf, data)
        return _download(pdf, service.pdf_name(MERGE_NAME), "application/pdf")
    return _download(data, MERGE_NAME, DOCX_TYPE)


@router.get("/downloads/archive")
async def download_archive(request: Request) -> Response:
    state = _state(request)
    data, name = await run_in_threadpool(_archive, state)
    return _download(data, name, "application/zip")


def _archive(state: WebState) -> tuple[bytes, str]:
    year = state.store.year()
    return service.archive_zip(state.store), f"{year.year}年度一件一档.zip"


# --------------------------------------------------------------------------- the annual report


#: The satisfaction rates in words (the report's table names them per attitude and result).
_SATISFACTION_NAMES = {
    "attitude_satisfied": "办理态度满意率",
    "attitude_satisfied_or_basic": "办理态度满意和基本满意率",
    "result_satisfied": "办理结果满意率",
    "result_satisfied_or_basic": "办理结果满意和基本满意率",
}


def _rate_name(wording: Any, key: str) -> str:
    from gongwen.summary import RATE_NAMES

    configured: str | None = wording.rate_names.get(key)
    return configured or RATE_NAMES.get(key) or _SATISFACTION_NAMES.get(key, key)


def _report_context(state: WebState, narrative: str, day: date | None) -> dict[str, Any]:
    from gongwen.claims import class_names, parse_claims
    from gongwen.stats import compute_stats
    from gongwen.summary import SummaryWording

    year = state.store.year()
    org = state.organisation()
    stats = compute_stats(year, org.config, as_of=day or date.today(), own_unit=org.name)
    wording = SummaryWording.from_config(org.config)
    rates = [(_rate_name(wording, k), r, r.format(1)) for k, r in stats.rates.items()]
    claims = parse_claims(
        narrative,
        classes=class_names(org.config.class_scheme, wording),
        rate_names={v: k for k, v in wording.rate_names.items()},
    )
    findings = service.year_checks(year, org, narrative, day)
    from gongwen.summary import basis_sentence

    return {
        "basis": basis_sentence(stats),
        "stats": stats,
        "rates": rates,
        "claims": claims,
        "year_findings": findings,
        "year": year,
    }


@router.get("/report", response_class=HTMLResponse)
async def report_page(request: Request, saved: int = 0) -> HTMLResponse:
    state = _state(request)
    report = await run_in_threadpool(state.store.report)
    narrative = report.narrative or ""
    context = await run_in_threadpool(_report_context, state, narrative, report.date)
    return page(
        request,
        "report.html",
        report=report,
        narrative=narrative,
        day=report.date.isoformat() if report.date else "",
        revision=report.revision,
        stale="",
        message="",
        saved=bool(saved) and report.revision > 0,
        **context,
    )


def _report_form(texts: Mapping[str, str]) -> tuple[str, date | None, str]:
    narrative = texts.get("narrative", "").replace("\r\n", "\n")
    raw = texts.get("date", "").strip()
    if not raw:
        return narrative, None, ""
    try:
        return narrative, parse_date(raw), ""
    except ValueError as exc:
        return narrative, None, f"成文日期无法识别：{exc}"


@router.post("/report/check", response_class=HTMLResponse)
async def report_check(request: Request) -> HTMLResponse:
    texts, _files = await _form(request)
    narrative, day, problem = _report_form(texts)
    context = await run_in_threadpool(_report_context, _state(request), narrative, day)
    return HTMLResponse(render_page("_claims.html", problem=problem, **context))


@router.post("/report", response_class=HTMLResponse)
async def report_save(request: Request) -> Response:
    texts, _files = await _form(request)
    state = _state(request)
    narrative, day, problem = _report_form(texts)
    author = _author(request, texts)
    base = _revision(texts)
    stale = ""
    if not problem:
        try:
            await run_in_threadpool(
                lambda: state.store.save_report(narrative, day, base_revision=base, author=author)
            )
        except StaleRevision as exc:
            stale = str(exc)
        else:
            return _with_user(RedirectResponse("/report?saved=1", status_code=303), author)
    report = await run_in_threadpool(state.store.report)
    context = await run_in_threadpool(_report_context, state, narrative, day)
    return page(
        request,
        "report.html",
        409 if stale else 422,
        report=report,
        narrative=narrative,
        day=texts.get("date", ""),
        revision=base,
        stale=stale,
        message=problem,
        saved=False,
        **context,
    )


def _report_document(state: WebState) -> tuple[bytes, str]:
    from gongwen.api import render_annual_report

    year, org, narrative, day = _year_inputs(state)
    doc = render_annual_report(year, org, narrative or None, report_date=day)
    return doc.data, doc.name


@router.get("/report/download")
async def report_download(request: Request, format: str = "docx") -> Response:
    state = _state(request)
    try:
        data, name = await run_in_threadpool(_report_document, state)
    except CheckFailed as exc:
        return _check_failed(request, exc, "/report", "回到工作总结页修改")
    if format == "pdf":
        pdf = await run_in_threadpool(state.to_pdf, data)
        return _download(pdf, service.pdf_name(name), "application/pdf")
    return _download(data, name, DOCX_TYPE)


__all__ = ["base_context", "error_page", "load_demo", "make_preview", "page", "router"]
