"""The template of each document kind: file names (bundled and Chinese), required placeholders,
what each placeholder means, and where a value typed over a placeholder comes from instead.

``gongwen template init`` writes the bundled templates under their Chinese names with a 说明.txt
built from :data:`TEMPLATE_KINDS`; ``gongwen template check`` holds a template to its kind; and
``--templates DIR`` finds a unit's own templates by either name (:func:`template_in`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from gongwen.documents.extension import EXTENSION_TEMPLATE, ExtensionNotice, extension_context
from gongwen.documents.extension import REQUIRED_ANY as EXTENSION_REQUIRED_ANY
from gongwen.documents.extension import REQUIRED_PLACEHOLDERS as EXTENSION_REQUIRED
from gongwen.documents.feedback import REQUIRED_PLACEHOLDERS as FORM_REQUIRED
from gongwen.documents.feedback import feedback_context
from gongwen.documents.plan import FORM_TEMPLATE, REPORT_TEMPLATE, form_feedback
from gongwen.documents.reply import REQUIRED_ANY as REPLY_REQUIRED_ANY
from gongwen.documents.reply import REQUIRED_PLACEHOLDERS as REPLY_REQUIRED
from gongwen.documents.reply import reply_context
from gongwen.documents.report import REQUIRED_PLACEHOLDERS as REPORT_REQUIRED
from gongwen.documents.report import report_context
from gongwen.documents.units import REQUIRED_PLACEHOLDERS as UNITS_REQUIRED
from gongwen.documents.units import UNITS_TEMPLATE, units_context
from gongwen.models.enums import HandlingRole
from gongwen.models.organisation import Organisation
from gongwen.models.year import HandlingYear
from gongwen.units import UnitYear, summarise_units

__all__ = [
    "MEANINGS",
    "SOURCES",
    "TEMPLATE_KINDS",
    "TemplateKind",
    "kind_of",
    "sample_context",
    "template_in",
]

#: What each placeholder holds, as 说明.txt and ``template check`` explain it.
MEANINGS: dict[str, str] = {
    "org_mark": "发文机关标志（红头上的单位名称），取自单位文件的 letterhead:（未写时用 name:）",
    "letter_mark_sz": "发文机关标志的字号（按名称长度自动计算，写在文字格式里）",
    "letter_mark_w": "发文机关标志的字符缩放（按名称长度自动计算，写在文字格式里）",
    "file_mark_sz": "文件格式红头的字号（按名称长度自动计算，写在文字格式里）",
    "file_mark_w": "文件格式红头的字符缩放（按名称长度自动计算，写在文字格式里）",
    "mark_rows": "发文机关标志各行（列表）：两行标志（letterhead_lines:）或联合行文"
    "（joint_letterheads:，主办机关在前）；只有一行时与 org_mark 相同",
    "letter_rows_twips": "信函格式多行标志时版头下移的距离（缇，一行时为0）",
    "letter_rows_emu": "信函格式多行标志时标志框加高、红色双线下移的距离（EMU，一行时为0）",
    "file_names_w": "文件格式多行标志中机关名称一栏的宽度（缇）",
    "file_gap_w": "文件格式多行标志中名称与“文件”之间的间隔（缇）",
    "file_word_w": "文件格式多行标志中“文件”一栏的宽度（缇）",
    "mark_left": "红色双线下左侧：答复类别、公开属性（排在右上角时为空）",
    "mark_right": "红色双线下右侧：发文字号",
    "marks": "版心第一行：答复类别、公开属性，如“A类　主动公开”",
    "mark_top": "首页右上角的答复类别、公开属性（单位配置 class_mark_side: right 时；否则为空）",
    "marks_right": "答复类别、公开属性是否排在右上角（真/假）",
    "doc_number": "发文字号，如“临经信函〔2024〕15号”",
    "signer": "签发人姓名（文件格式；为空时不显示签发人）",
    "title": "标题（按意思自动断行）",
    "title_lines": "标题各行（列表）",
    "salutation": "主送，如“张三代表：”；协办意见为主办单位",
    "body": "正文各段（列表，每段有 kind、head、text，见下文“正文段落”）",
    "closing": "结束语，为空时整段删除",
    "sign_org": "发文机关署名，取自单位文件的 name:",
    "sign_org_w": "署名的字符缩放（使署名排在一行，写在文字格式里）",
    "date": "成文日期，如“2024年6月18日”",
    "note": "附注（联系人、电话），为空时整段删除",
    "copy_to": "抄送机关，取自单位文件的 copy_to:，为空时整段删除",
    "issuer": "印发机关，取自单位文件（未写时为“单位名称办公室”）",
    "issuer_w": "印发机关一行的字符缩放（写在文字格式里）",
    "issue_date": "印发日期",
    "attachments": "附件名称（列表）",
    "attachment_notes": "附件说明（列表）",
    "office_attachments": "总结中本单位的附件（列表，排在统计表和一览表之后，各另起一页）",
    "is_opinion": "是否为协办意见（真/假，用于条件段落）",
    "form_title": "表名，如“东江市临湖区……答复征询意见表”",
    "round_note": "重新办理时为“（重新办理）”，否则为空",
    "case_no": "建议提案编号，如“十七届三次会议第8号建议”",
    "case_title": "建议提案标题",
    "proposer_label": "“代表姓名”或“提案人”",
    "proposer_name": "代表或提案人姓名（联名件每人一份）",
    "unit_label": "“承办单位”或“主办单位”",
    "unit": "承办单位名称",
    "co_label": "“协办单位”（没有协办单位时为空）",
    "co_units": "协办单位名称",
    "result_class": "答复类别（A/B/C 类等）",
    "reply_date": "答复日期",
    "contact_options": "沟通方式的选项（列表，每项有 box 方框、label 文字）",
    "attitude_options": "对办理态度的评价选项（列表）",
    "result_options": "对办理结果的评价选项（列表）",
    "pertinence_options": "答复针对性的评价选项（列表）",
    "opinion": "意见和建议（已收回的意见）",
    "sign_label": "签名处的文字，如“代表签名”",
    "sign_name": "签名（留空手写）",
    "sign_date": "签名日期（未收回时留空手写）",
    "return_note": "回寄说明（期限、地址），取自单位文件 config.feedback_form",
    "filled": "是否按收回的意见勾选（真/假）",
    "left_out": "台账中未能读取、未计入统计的行数",
    "att1_label": "附件1的标注“附件1”",
    "att1_title": "附件1（统计表）的标题",
    "att2_label": "附件2的标注“附件2”",
    "att2_title": "附件2（一览表）的标题",
    "kind_heads": "统计表的列名（人大代表建议、政协提案）",
    "count_rows": "统计表：件数各行（列表）",
    "class_rows": "统计表：答复类别各行（列表）",
    "rate_rows": "统计表：各项比率（列表，注明统计口径）",
    "case_rows": "一览表：每件一行（列表）",
    "year": "年度，如 2024",
    "total_cn": "总件数（中文数字）",
    "chart": "统计图（使用 --chart 时为图片，否则为空）",
    "unit_rows": (
        "汇总表：各承办单位的件数和办复率各行（列表，末行为合计；"
        "每行有 no、unit、sugg、prop、total、replied、rate）"
    ),
    "sat_heads": "满意度表的列名（按单位配置的评价用语，如满意、基本满意、不满意、未表态）",
    "sat_rows": (
        "满意度表：各承办单位各档评价的件数和满意率各行（列表，末行为合计；"
        "每行有 no、unit、asked、t、rate）"
    ),
    "basis_note": "表下注：各项数字的统计口径（如满意率的分母）",
}

#: Where the value of a placeholder comes from, for a template that has literal text instead.
SOURCES: dict[str, str] = {
    "org_mark": (
        "发文机关标志由 gongwen 填写，取自单位文件的 letterhead:（未写时用 name:）；"
        "要改红头上的名称，请在单位文件中写“letterhead: 单位名称”，模板中保留 {{ org_mark }}"
    ),
    "sign_org": "署名由 gongwen 填写，取自单位文件的 name:，模板中保留 {{ sign_org }}",
    "date": "成文日期取自答复的 date:，模板中保留 {{ date }}",
    "title": "标题由 gongwen 按案件生成，模板中保留 {{ title }}",
    "salutation": "主送由 gongwen 按提案人或代表生成，模板中保留 {{ salutation }}",
    "doc_number": "发文字号取自答复的 doc_number:（或按机关代字编号），模板中保留 {{ doc_number }}",
}


@dataclass(frozen=True)
class TemplateKind:
    """One kind of template: its bundled file, the Chinese name ``template init`` gives it, what
    it is for, and the placeholders it must have."""

    key: str
    bundled: str
    file_name: str
    use: str
    required: frozenset[str]
    required_any: tuple[frozenset[str], ...] = ()

    @property
    def title(self) -> str:
        """The Chinese name without ``.docx``, e.g. ``答复函（信函格式）``."""
        return self.file_name.removesuffix(".docx")


TEMPLATE_KINDS: tuple[TemplateKind, ...] = (
    TemplateKind(
        "reply_letter",
        "reply_letter.docx",
        "答复函（信函格式）.docx",
        "本单位主办或分办时的答复函，信函格式（默认）：红色发文机关标志和上下红色双线",
        REPLY_REQUIRED,
        REPLY_REQUIRED_ANY,
    ),
    TemplateKind(
        "reply_file",
        "reply_file.docx",
        "答复函（文件格式）.docx",
        "答复函，文件格式（红头“××文件”、发文字号、版记），使用 --variant file 时",
        REPLY_REQUIRED,
        REPLY_REQUIRED_ANY,
    ),
    TemplateKind(
        "co_opinion",
        "co_opinion.docx",
        "协办意见.docx",
        "本单位协办时写给主办单位的协办意见，信函格式",
        REPLY_REQUIRED,
        REPLY_REQUIRED_ANY,
    ),
    TemplateKind(
        "extension_notice",
        EXTENSION_TEMPLATE,
        "延期办理告知函.docx",
        "不能按期办结时告知代表或提案人延期办理的告知函，信函格式",
        EXTENSION_REQUIRED,
        EXTENSION_REQUIRED_ANY,
    ),
    TemplateKind(
        "feedback_form",
        FORM_TEMPLATE,
        "征询意见表.docx",
        "随答复寄给代表或提案人的征询意见表（联名件每人一份）",
        FORM_REQUIRED,
    ),
    TemplateKind(
        "annual_report",
        REPORT_TEMPLATE,
        "办理工作总结.docx",
        "年度建议提案办理工作总结，文件格式，附统计表和一览表",
        REPORT_REQUIRED,
    ),
    TemplateKind(
        "units_summary",
        UNITS_TEMPLATE,
        "各承办单位办理情况汇总.docx",
        "替多个承办单位汇总报告时的办理情况汇总（gongwen summary），文件格式，附各单位统计表",
        UNITS_REQUIRED,
    ),
)


def kind_of(name: str) -> TemplateKind | None:
    """The kind of a template by its key, bundled file name or Chinese file name (or stem)."""
    stem = Path(name).name
    for kind in TEMPLATE_KINDS:
        if stem in (kind.key, kind.bundled, kind.file_name, kind.title, kind.bundled[:-5]):
            return kind
    return None


def template_in(folder: Path, bundled: str) -> Path | None:
    """The unit's template for ``bundled`` in ``folder``: the Chinese name first (as ``template
    init`` writes it), then the bundled name; ``None`` when the folder has neither."""
    kind = kind_of(bundled)
    names = ([kind.file_name] if kind else []) + [bundled]
    for n in names:
        p = folder / n
        if p.is_file():
            return p
    return None


def sample_context(kind: TemplateKind, year: HandlingYear, org: Organisation) -> dict[str, Any]:
    """A real context of ``kind`` built from ``year`` (the bundled example): its keys are the
    placeholders a template of that kind may use."""
    records = [r for r in year.cases if r.reply is not None]
    if kind.key in ("reply_letter", "reply_file", "co_opinion"):
        want = HandlingRole.ASSIST if kind.key == "co_opinion" else None
        rec = next(
            (r for r in records if want is None or r.case.role is want),
            records[0],
        )
        assert rec.reply is not None
        return reply_context(rec.case, rec.reply, org)
    if kind.key == "extension_notice":
        return extension_context(records[0].case, ExtensionNotice(date(year.year, 6, 1)), org)
    if kind.key == "feedback_form":
        rec = next(r for r in records if r.case.role is not HandlingRole.ASSIST)
        assert rec.reply is not None
        person = rec.case.proposers[0]
        return feedback_context(
            rec.case, rec.reply, org, person, form_feedback(rec, person, rec.reply)
        )
    if kind.key == "units_summary":
        units = [UnitYear(org.self_name, year)]
        summary = summarise_units(units, org.config, as_of=date(year.year, 12, 20))
        return units_context(summary, org, report_date=date(year.year, 12, 20))
    context: Mapping[str, Any] = report_context(year, org, "", report_date=date(year.year, 12, 20))
    return {**context, "chart": ""}
