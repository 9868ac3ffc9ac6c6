"""Glue for the template commands: which template a command uses, what a template of a kind is
held to (:class:`TemplateSpec`), and the 说明.txt that ``template init`` writes."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from gongwen.cli.app import fail
from gongwen.documents.templates import (
    MEANINGS,
    TEMPLATE_KINDS,
    TemplateKind,
    kind_of,
    template_in,
)
from gongwen.render.engine import load_template
from gongwen.render.template_check import TemplateSpec
from gongwen.resources import template_path

__all__ = ["GUIDE_NAME", "choose_template", "guide_text", "placeholders_in", "spec_for"]

#: The explanation ``template init`` writes beside the templates.
GUIDE_NAME = "说明.txt"


def choose_template(template: Path | None, folder: Path | None, bundled: str) -> Path | None:
    """``--template FILE`` wins; else the unit's file for ``bundled`` in ``--templates DIR``
    (Chinese name first); ``None``: the bundled template. A folder without that kind's file
    is said on stderr, so the bundled one is never used silently; ``--templates`` that is no
    folder is the CLI's failure (exit 2)."""
    if template is not None:
        return template
    if folder is None:
        return None
    if not folder.is_dir():
        raise fail(f"--templates 应为模板文件夹：{folder}")
    found = template_in(folder, bundled)
    if found is None:
        kind = kind_of(bundled)
        shown = f"“{kind.file_name}”或“{bundled}”" if kind else f"“{bundled}”"
        typer.echo(f"模板文件夹 {folder} 中没有{shown}，使用自带模板。", err=True)
    return found


def spec_for(kind: TemplateKind) -> TemplateSpec:
    """What a template of ``kind`` is held to (:func:`gongwen.batch.templates.template_spec`)."""
    from gongwen.batch.templates import template_spec

    return template_spec(kind)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)  # also across runs: names only


def placeholders_in(kind: TemplateKind) -> list[str]:
    """The context names the bundled template of ``kind`` uses, in order of first appearance."""
    from gongwen.ooxml.package import Package

    path = template_path(kind.bundled)
    names = set(load_template(path).variables)
    pkg = Package(path.read_bytes(), path.name)
    main = pkg.main_part
    parts = [main] + [
        r.target_part or "" for k in ("header", "footer") for r in pkg.rels(main).of_type(k)
    ]
    seen: dict[str, None] = {}
    for part in parts:
        if part in pkg:
            for tag in _TAG.finditer(pkg.read(part).decode("utf-8")):
                for m in _NAME.finditer(tag.group(0)):
                    if m.group(0) in names:
                        seen.setdefault(m.group(0), None)
    return list(seen) + sorted(names - set(seen))


_EDITING = """\
三、在 Word、WPS、LibreOffice 中安全地修改
  1. 占位符 {{ 名称 }} 是生成时填入内容的位置，要整体保留：不要删改其中的字母，也不要只改其中
     几个字的格式；要改格式时，选中整个占位符（连同两边的大括号）一起改。
  2. 在英文输入法下输入大括号、百分号和引号。gongwen 会自动把占位符中的弯引号（“”‘’）、
     &quot; 和全角空格改正，并把被拆开的占位符合并；全角大括号（｛｛ ｝｝）不会被识别。
  3. {%p … %} 是控制段落（条件、循环），必须单独成段、成对出现，生成时整段删除。
     不要删除、合并或移动其中一段。
  4. 不要把占位符改成固定文字。例如红头上的单位名称（发文机关标志）来自单位文件的
     letterhead:（未写时用 name:），要改名称请改单位文件，模板中保留 {{ org_mark }}；
     署名来自 name:，成文日期来自答复的 date:。
  5. Word：关闭“修订”后再保存，保存为 .docx。
  6. WPS：保存为“Microsoft Word 文件（*.docx）”，不要存为 .wps。
  7. LibreOffice：保存时选“使用 Word 2007-365 格式！”（.docx）。LibreOffice 会丢失写在文字
     格式里的占位符（发文机关标志、署名、印发机关一行按名称长度自动调整的字号和字符缩放），
     发文机关标志会变成 0 号字；保存后运行
       gongwen template check 文件.docx --fix 修复后的文件.docx
     可以恢复这些占位符（或改用 Word、WPS 修改）。
  8. 改完后运行检查，它会用中文说明哪一段、哪个占位符有问题：
       gongwen template check 文件.docx
"""

_BODY = """\
正文段落 body 是一个列表，每一项是一段，有三个字段：kind（p 普通段；h1–h4 四级标题段）、
head（标题文字，如“一、”开头的标题；普通段为空）、text（正文文字）。模板中 {%p for b in body %}
到 {%p endfor %} 之间的一组段落按 kind 选用对应样式，请原样保留这一组段落。
"""


def guide_text() -> str:
    """说明.txt: each file, its placeholders and what they mean, safe editing, how to use it."""
    lines = [
        "gongwen 公文模板说明",
        "====================",
        "",
        "本文件夹由“gongwen template init”生成，是 gongwen 自带的公文模板（GB/T 9704-2012），",
        "可按本单位需要修改后使用。",
        "",
        "一、文件一览",
    ]
    for kind in TEMPLATE_KINDS:
        lines.append(f"  {kind.file_name}")
        lines.append(f"      {kind.use}")
    lines += [
        "",
        "二、让 gongwen 使用本文件夹的模板",
        "  生成时加上 --templates 本文件夹：",
        "    gongwen reply 案件.yaml --org 单位.yaml --templates 本文件夹 --out 答复.docx",
        "    gongwen form 案件.yaml --org 单位.yaml --templates 本文件夹 --out 输出文件夹",
        "    gongwen report 年度.yaml --org 单位.yaml --templates 本文件夹 --out 总结.docx",
        "    gongwen batch 台账.xlsx --org 单位.yaml --templates 本文件夹 --out 输出文件夹",
        "  （extension、summary、archive 同样可加 --templates；batch 和 archive 开始前逐个检查",
        "  要用到的模板，有错误时说明哪个文件、什么问题，不生成任何文档）",
        "  gongwen 按文件名找模板：先找上面的中文文件名，再找自带的英文文件名",
        "  （如 reply_letter.docx），所以请不要改文件名；文件夹中没有的模板用自带的（会提示）。",
        "  也可以用 --template 某文件.docx 直接指定一个模板。",
        "",
        _EDITING,
        "四、各模板的占位符",
    ]
    for kind in TEMPLATE_KINDS:
        lines.append("")
        lines.append(f"  {kind.file_name}")
        for name in placeholders_in(kind):
            groups = [g for g in kind.required_any if name in g]
            if name in kind.required:
                must = "（必需）"
            elif groups:
                must = "（" + "、".join(sorted(groups[0])) + " 至少要有一个）"
            else:
                must = ""
            meaning = MEANINGS.get(name, "见 templates/README.md")
            lines.append(f"    {{{{ {name} }}}}{must}：{meaning}")
    lines += ["", _BODY]
    return "\n".join(lines) + "\n"
