"""``gongwen template check``: what is wrong with a docx template, and where, in Chinese.

Knows templates only: the caller says which placeholders the document's context has
(``known``), which are required, what each means, and gives the bundled template of that kind
(``reference``) to compare with. Each finding names the part (正文, 页眉, 页脚), the paragraph
number with its visible text, and the placeholder:

========  ========  ==============================================================
代码       级别       问题
========  ========  ==============================================================
T1        错误       未知占位符（该文档的数据中没有这个名称）
T2        错误       缺少必需的占位符（若该处现为固定文字，说明该内容从哪里来）
T3        错误       占位符语法错误（原文照录）、未闭合或控制段落不配对
T4        警告       占位符被拆成几段格式不同的文字，已自动合并（按第一段的格式）
T5        提示       占位符中的弯引号、``&quot;`` 或全角空格已自动改正
T6        警告       原模板有、此模板没有的可选占位符（如 LibreOffice 丢失的自动字号）
T7        警告       像是在中文输入法下输入的占位符（全角大括号），不会被填写
========  ========  ==============================================================
"""

from __future__ import annotations

import difflib
import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.nodes

from gongwen.errors import DocxPackageError, TemplateError
from gongwen.findings import Finding, Severity, Subject
from gongwen.ooxml.package import Package
from gongwen.render.engine import CompiledTemplate
from gongwen.render.placeholders import Paragraph, normalise, paragraphs

__all__ = ["Restored", "TemplateSpec", "check_template", "restore"]

_SHOWN = 30  # characters of a paragraph's text shown beside a finding
_PREFIX = re.compile(r"^(\{[{%])(?:p|tr|tc|r)\s")  # docxtpl's {%p …%}, {{r …}}
_BLOCK = re.compile(r"^\{%-?\s*(\w+)\s*(.*?)\s*-?%\}$", re.DOTALL)
_VAR = re.compile(r"^\{\{.*\}\}$", re.DOTALL)
_OPENERS = re.compile(r"\{\{|\{%|\}\}|%\}")
_FULLWIDTH = re.compile(r"[｛{][｛{%％]|[}｝%％][｝}]")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class TemplateSpec:
    """What a template of one document kind is held to."""

    what: str  # the document kind in Chinese, e.g. 答复函（信函格式）
    known: frozenset[str]
    required: frozenset[str]
    required_any: tuple[frozenset[str], ...] = ()
    meanings: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    reference: bytes | None = None  # the bundled template of that kind
    #: the reference's placeholders, when the caller has them (a compiled, cached template)
    reference_variables: frozenset[str] | None = None


@dataclass
class _Part:
    name: str
    label: str
    paragraphs: list[Paragraph]
    styles: dict[str, str]  # style id → lower-case style name


def _env() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True)


def _label(part: str, main: str) -> str:
    if part == main:
        return "正文"
    base = Path(part).name
    if "header" in base:
        return f"页眉（{base}）"
    if "footer" in base:
        return f"页脚（{base}）"
    return base


def _styles(pkg: Package) -> dict[str, str]:
    raw = pkg.get("word/styles.xml")
    if raw is None:
        return {}
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return {}
    out: dict[str, str] = {}
    for style in root.iter(f"{_W}style"):
        sid = style.get(f"{_W}styleId")
        name = style.find(f"{_W}name")
        if sid and name is not None:
            out[sid] = (name.get(f"{_W}val") or sid).lower()
    return out


def _parts(data: bytes, name: str) -> tuple[list[_Part], list[Finding]]:
    """The templated parts (main, headers, footers) normalised, and what normalising repaired."""
    try:
        pkg = Package(data, name)
        main = pkg.main_part
        names = [main] + [
            r.target_part
            for kind in ("header", "footer")
            for r in pkg.rels(main).of_type(kind)
            if r.target_part in pkg
        ]
        styles = _styles(pkg)
        raw = {n: pkg.read(n).decode("utf-8") for n in dict.fromkeys(x for x in names if x)}
    except (DocxPackageError, UnicodeDecodeError, KeyError):
        raise TemplateError(f"模板不是有效的 docx 文件：{name}") from None
    parts: list[_Part] = []
    findings: list[Finding] = []
    for part, xml in raw.items():
        label = _label(part, main)
        fixed, repairs = normalise(xml)
        paras = paragraphs(fixed)
        by_number = {p.number: p for p in paras}
        merged: dict[tuple[int, str], dict[str, int]] = {}
        for r in repairs:
            if r.paragraph:  # 0: the fallback copy of a text box, reported in its original
                kinds = merged.setdefault((r.paragraph, r.tag), {})
                kinds[r.kind] = max(kinds.get(r.kind, 0), r.pieces)
        for (number, tag), kinds in merged.items():
            where = _where(label, by_number.get(number), number)
            fixed_too = [
                text
                for kind, text in (
                    ("quotes", "弯引号或 &quot; 已改为直引号"),
                    ("spaces", "全角空格已改为半角"),
                )
                if kind in kinds
            ]
            if "joined" in kinds:
                message = (
                    f"占位符 {tag} 被拆成 {kinds['joined']} 段格式不同的文字"
                    "（Word、WPS、LibreOffice 保存时或只改了占位符中几个字的格式时常见），"
                    "已自动合并，按第一段的格式排版；"
                    "如需改格式，请选中整个占位符一起改"
                )
                if fixed_too:
                    message += "；其中的" + "，".join(fixed_too)
                findings.append(_finding("T4", Severity.WARNING, where, message))
            else:
                message = f"占位符 {tag} 中的" + "，".join(fixed_too)
                findings.append(_finding("T5", Severity.INFO, where, message))
        parts.append(_Part(part, label, paras, styles))
    return parts, findings


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _where(label: str, para: Paragraph | None, number: int) -> str:
    text = f"“{_shown(para.text)}”" if para is not None and para.text.strip() else "（空段）"
    return f"{label}第{number}段{text}"


def _finding(code: str, severity: Severity, path: str, message: str) -> Finding:
    return Finding(code, severity, Subject.DOCX, path, message)


def _bare(tag: str) -> str:
    """A tag without docxtpl's paragraph/row/cell/run prefix: ``{%p if x %}`` → ``{% if x %}``."""
    return _PREFIX.sub(r"\1 ", tag)


def _names(node: jinja2.nodes.Node) -> set[str]:
    """The names ``node`` binds (a ``for`` target, a ``set``), the node itself included."""
    found = [node, *node.find_all(jinja2.nodes.Name)]
    return {n.name for n in found if isinstance(n, jinja2.nodes.Name) and n.ctx == "store"}


@dataclass
class _Scope:
    kind: str  # for / if
    where: str
    tag: str
    bound: set[str]


def _tags(part: _Part, spec: TemplateSpec, findings: list[Finding], used: set[str]) -> None:
    """Syntax, pairing and unknown names, tag by tag in reading order."""
    env = _env()
    stack: list[_Scope] = []
    for para in part.paragraphs:
        where = _where(part.label, para, para.number)
        rest = para.text
        for tag in para.tags:
            rest = rest.replace(tag, "", 1)
        if _OPENERS.search(rest):
            findings.append(
                _finding(
                    "T3",
                    Severity.ERROR,
                    where,
                    "占位符没有闭合（{{ 要以 }} 结束，{% 要以 %} 结束，且在同一段内）",
                )
            )
        elif _FULLWIDTH.search(rest):
            findings.append(
                _finding(
                    "T7",
                    Severity.WARNING,
                    where,
                    "这里像是在中文输入法下输入的占位符（全角大括号或百分号），不会被填写；"
                    "请在英文输入法下输入 {{ 名称 }}",
                )
            )
        for tag in para.tags:
            _tag(env, _bare(tag), tag, where, stack, spec, findings, used)
    for scope in stack:
        end = "endfor" if scope.kind == "for" else "endif"
        findings.append(
            _finding(
                "T3",
                Severity.ERROR,
                scope.where,
                f"{scope.tag} 没有对应的 {{%p {end} %}}（控制段落要成对，各自单独成段）",
            )
        )


def _syntax(where: str, tag: str, exc: jinja2.TemplateSyntaxError) -> Finding:
    return _finding("T3", Severity.ERROR, where, f"占位符语法错误：{tag}（{exc.message}）")


def _tag(
    env: jinja2.Environment,
    bare: str,
    tag: str,
    where: str,
    stack: list[_Scope],
    spec: TemplateSpec,
    findings: list[Finding],
    used: set[str],
) -> None:
    if bare.startswith("{#"):
        return
    try:
        list(env.lex(bare))
    except jinja2.TemplateSyntaxError as exc:
        findings.append(_syntax(where, tag, exc))
        return
    source = bare
    block = _BLOCK.match(bare)
    keyword = block.group(1) if block else ""
    if keyword in ("endfor", "endif"):
        want = keyword[3:]
        if stack and stack[-1].kind == want:
            stack.pop()
        else:
            findings.append(
                _finding("T3", Severity.ERROR, where, f"多余的 {tag}：前面没有对应的开始段落")
            )
        return
    if keyword in ("else", "elif") and not (stack and stack[-1].kind in ("if", "for")):
        findings.append(
            _finding("T3", Severity.ERROR, where, f"{tag} 前面没有对应的 {{%p if … %}}")
        )
        return
    if keyword == "else":
        return
    if keyword == "for":
        source = bare + "{% endfor %}"
    elif keyword in ("if", "elif"):
        source = "{% if " + block.group(2) + " %}{% endif %}" if block else bare
    elif keyword == "set":
        source = bare
    elif block:  # another statement (with, macro …): left to the whole-template parse
        return
    try:
        ast = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        findings.append(_syntax(where, tag, exc))
        return
    bound = set().union(*(s.bound for s in stack)) if stack else set()
    names = jinja2.meta.find_undeclared_variables(ast) - bound - {"loop"}
    if keyword == "for":
        stack.append(_Scope("for", where, tag, _names(ast.body[0].target)))  # type: ignore[attr-defined]
    elif keyword == "if":
        stack.append(_Scope("if", where, tag, set()))
    elif keyword == "set" and stack:
        stack[-1].bound |= _names(ast)
    used |= names
    for name in sorted(names - spec.known):
        close = difflib.get_close_matches(name, sorted(spec.known), n=1)
        hint = (
            f"，是否想写 {{{{ {close[0]} }}}}（{spec.meanings.get(close[0], '')}）？"
            if close
            else ""
        )
        findings.append(
            _finding(
                "T1",
                Severity.ERROR,
                where,
                f"未知占位符 {name}（在 {tag} 中）：{spec.what}的数据中没有这一项{hint}",
            )
        )


def _style_paragraphs(part: _Part, style_names: set[str]) -> list[Paragraph]:
    return [
        p
        for p in part.paragraphs
        if part.styles.get(p.style, p.style.lower()) in style_names
        and not p.tags
        and p.text.strip()
    ]


def _literal(
    name: str, parts: list[_Part], reference: list[_Part] | None
) -> list[tuple[_Part, Paragraph]]:
    """Paragraphs with literal text where the reference template has ``{{ name }}``."""
    if not reference:
        return []
    pattern = re.compile(r"\{\{-?\s*" + re.escape(name) + r"\s*-?\}\}")
    out: list[tuple[_Part, Paragraph]] = []
    for ref in reference:
        styles = {
            ref.styles.get(p.style, p.style.lower())
            for p in ref.paragraphs
            if any(pattern.search(t) for t in p.tags)
        }
        if not styles:
            continue
        for part in parts:
            if part.label[:2] != ref.label[:2]:
                continue  # headers against headers, the main part against the main part
            out.extend((part, p) for p in _style_paragraphs(part, styles))
    return out


#: A placeholder expression written inside an XML attribute (``w:sz w:val="{{ x }}"``,
#: ``cy="{{ 685800 + letter_rows_emu|default(0) }}"``) or a drawing's position
#: (``<wp:posOffset>{{ … }}</wp:posOffset>``): LibreOffice writes numbers there when it saves.
_IN_ATTRIBUTE = re.compile(r'="\{\{(.*?)\}\}"|<wp:posOffset>\{\{(.*?)\}\}</wp:posOffset>')
_NAME = re.compile(r"(?<![\w.|])[A-Za-z_]\w*")


def _attribute_names(data: bytes) -> set[str]:
    """Context names a template uses inside XML attributes and drawing positions (formatting and
    geometry computed from the data: the mark's size and scale, the shift of a multi-line mark)."""
    try:
        pkg = Package(data, "参照模板")
        xml = pkg.read(pkg.main_part).decode("utf-8")
    except (DocxPackageError, UnicodeDecodeError, KeyError):
        return set()
    return {n for m in _IN_ATTRIBUTE.finditer(xml) for n in _NAME.findall(m.group(1) or m.group(2))}


def check_template(data: bytes, name: str, spec: TemplateSpec) -> list[Finding]:
    """Every problem of the template ``data`` (file name ``name``) against ``spec``.

    Raises :class:`TemplateError` when ``data`` is not a docx at all.
    """
    parts, findings = _parts(data, name)
    reference = _parts(spec.reference, "参照模板")[0] if spec.reference else None
    used: set[str] = set()
    for part in parts:
        _tags(part, spec, findings, used)
    try:  # the engine's own parse: anything the tag-by-tag look did not place
        used |= CompiledTemplate(Path(name), data).variables
    except TemplateError as exc:
        if not any(f.code == "T3" for f in findings):
            findings.append(_finding("T3", Severity.ERROR, "全文", str(exc)))
    findings.extend(_zero_sizes(data, name, parts))
    missing = sorted(spec.required - used)
    for group in spec.required_any:
        if not group & used:
            missing.append("/".join(sorted(group)))
    for m in missing:
        findings.append(_missing(m, spec, parts, reference))
    if spec.reference is not None:
        ref_used = set(spec.reference_variables or ())
        if spec.reference_variables is None:
            try:
                ref_used = set(CompiledTemplate(Path("参照模板.docx"), spec.reference).variables)
            except TemplateError:
                ref_used = set()
        in_attributes = _attribute_names(spec.reference)
        groups = set().union(*spec.required_any) if spec.required_any else set()
        for m in sorted(ref_used - used - spec.required - groups):
            message = (
                f"自带模板中有 {{{{ {m} }}}}（{spec.meanings.get(m, m)}），此模板中没有，"
                "该处按模板中写定的内容或格式排版"
            )
            if m in in_attributes:
                message += (
                    "。这个占位符写在文字格式（字号、字符缩放）或版头图形的位置里，LibreOffice "
                    "保存时会丢失它，版头或署名可能过大、过小或看不见，两行标志或联合行文时红色"
                    "双线不再下移；需要自动调整时，请从 gongwen template init 重新取得模板，"
                    "用 Word 或 WPS 修改"
                )
            findings.append(_finding("T6", Severity.WARNING, "全文", message))
    return findings


_ZERO_SIZE = re.compile(r'<w:sz w:val="0"/>')


def _zero_sizes(data: bytes, name: str, parts: list[_Part]) -> list[Finding]:
    """Runs of the main part with text at font size 0 (where LibreOffice put a lost ``{{ … }}``)."""
    try:
        pkg = Package(data, name)
        xml = normalise(pkg.read(pkg.main_part).decode("utf-8"))[0]
    except (DocxPackageError, UnicodeDecodeError, KeyError):
        return []
    main = next((p for p in parts if p.label == "正文"), None)
    out: list[Finding] = []
    seen: set[str] = set()
    for m in _RUN.finditer(xml):
        rpr = _RPR.search(m.group(0))
        text = html.unescape(_run_text(m.group(0))).strip()
        if rpr is None or not text or not _ZERO_SIZE.search(rpr.group(0)) or text in seen:
            continue
        seen.add(text)
        para = next((p for p in main.paragraphs if text in p.text), None) if main else None
        where = _where("正文", para, para.number) if para else "正文"
        out.append(
            _finding(
                "T8",
                Severity.ERROR,
                where,
                f"“{_shown(text)}”的字号为 0，印出后几乎看不见：原来写在字号里的占位符（按名称长度"
                "自动计算的字号）被 LibreOffice 保存时丢失了。用 gongwen template check 文件 "
                "--fix 修复后的文件.docx 可以恢复",
            )
        )
    return out


def _missing(
    m: str, spec: TemplateSpec, parts: list[_Part], reference: list[_Part] | None
) -> Finding:
    names = m.split("/")
    shown = "或".join("{{ " + n + " }}" for n in names)
    meaning = "；".join(spec.meanings[n] for n in names if n in spec.meanings)
    message = f"缺少必需的占位符 {shown}" + (f"（{meaning}）" if meaning else "")
    where = "全文"
    literal = [pair for n in names for pair in _literal(n, parts, reference)]
    if literal:
        part, para = literal[0]
        where = _where(part.label, para, para.number)
        message += f"。这里原来是 {shown}，现在是固定文字“{_shown(para.text)}”"
    source = next((spec.sources[n] for n in names if n in spec.sources), None)
    if source:
        message += f"。{source}"
    return _finding("T2", Severity.ERROR, where, message)


_RUN = re.compile(r"<w:r(?:\s[^>]*)?>(?:(?!<w:r[\s>]).)*?</w:r>", re.DOTALL)
_RUN_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_RPR = re.compile(r"<w:rPr>.*?</w:rPr>", re.DOTALL)
_PROP = re.compile(r'<(w:[A-Za-z]+) w:val="(\{\{[^"]*\}\})"/>')


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` changed: tags joined or tidied, attribute placeholders put back."""

    data: bytes
    tidied: int
    restored: int


def _run_text(run: str) -> str:
    return "".join(_RUN_TEXT.findall(run))


def _attribute_runs(xml: str) -> dict[str, dict[str, str]]:
    """Text of each run → the formatting placeholders of its run properties (reference)."""
    out: dict[str, dict[str, str]] = {}
    for m in _RUN.finditer(xml):
        rpr = _RPR.search(m.group(0))
        props = dict(_PROP.findall(rpr.group(0))) if rpr else {}
        text = _run_text(m.group(0)).strip()
        if props and text:
            out.setdefault(text, {}).update(props)
    return out


def restore(data: bytes, reference: bytes, name: str) -> Restored:
    """A repaired copy of a template: every part normalised (:func:`normalise`), and in the main
    part the placeholders of the run properties (字号、字符缩放) that the reference template has
    for runs of the same text put back — LibreOffice writes them as ``0`` and ``100``.

    Only values of properties the run still has are replaced; nothing is added or removed.
    """
    try:
        pkg = Package(data, name)
        ref = Package(reference, "参照模板")
        main = pkg.main_part
        wanted = _attribute_runs(ref.read(ref.main_part).decode("utf-8"))
    except (DocxPackageError, UnicodeDecodeError, KeyError):
        raise TemplateError(f"模板不是有效的 docx 文件：{name}") from None
    tidied = restored = 0
    replaced: dict[str, bytes] = {}
    for info in pkg.infolist():
        if not info.filename.endswith(".xml") or not info.filename.startswith("word/"):
            continue
        xml = pkg.read(info.filename).decode("utf-8")
        fixed, repairs = normalise(xml)
        tidied += len({(r.paragraph, r.tag) for r in repairs if r.paragraph})
        if info.filename == main:

            def put_back(m: re.Match[str]) -> str:
                nonlocal restored
                run = m.group(0)
                props = wanted.get(_run_text(run).strip())
                rpr = _RPR.search(run)
                if not props or rpr is None:
                    return run
                new = rpr.group(0)
                for element, value in props.items():
                    prop = re.compile(rf'<{element} w:val="([^"]*)"/>')
                    found = prop.search(new)
                    if found and found.group(1) != value:
                        new = prop.sub(f'<{element} w:val="{value}"/>', new, count=1)
                        restored += 1
                return run[: rpr.start()] + new + run[rpr.end() :]

            fixed = _RUN.sub(put_back, fixed)
        if fixed != xml:
            replaced[info.filename] = fixed.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in pkg.infolist():
            out.writestr(info, replaced.get(info.filename) or pkg.read(info.filename))
    return Restored(buf.getvalue(), tidied, restored)
