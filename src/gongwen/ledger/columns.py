"""The ledger (台账) columns: canonical Chinese headers, accepted aliases, what each one holds.

A header matches a column when, after normalisation (full-width → half-width, spaces removed,
a trailing ``*`` or parenthesised note such as ``（必填）`` dropped, Latin letters lower-cased),
it equals the canonical header or one of its aliases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "IGNORED",
    "REQUIRED",
    "Column",
    "column_for",
    "columns_markdown",
    "ignored_header",
    "normalise_header",
]


@dataclass(frozen=True)
class Column:
    """One ledger column."""

    key: str
    header: str
    aliases: tuple[str, ...]
    help: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "kind",
        "类型",
        ("建议提案类型", "件别", "type", "kind"),
        "建议 或 提案；省略时按届次推定（人大→建议，政协→提案）",
    ),
    Column(
        "session",
        "届次",
        ("会议", "届次会议", "session"),
        "如 区政协十二届三次会议、区十六届人大三次会议、十四届全国人大二次会议、"
        "政协临湖区第十二届委员会第三次会议、区十六届人大闭会期间",
        required=True,
    ),
    Column(
        "number",
        "案号",
        ("编号", "建议号", "提案号", "案件编号", "number", "no"),
        "正整数；也可写 8号、第8号、008、提案008",
        required=True,
    ),
    Column(
        "title",
        "案由",
        ("标题", "题目", "建议标题", "提案标题", "title"),
        "如 关于……的提案",
        required=True,
    ),
    Column(
        "proposers",
        "提案人",
        (
            "领衔代表",
            "领衔委员",
            "提案人/领衔代表",
            "领衔代表/提案人",
            "代表/委员",
            "建议人",
            "提案者",
            "第一提案人",
            "领衔人",
            "提出人",
            "代表",
            "委员",
            "代表委员",
            "proposers",
            "proposer",
        ),
        "姓名以“、”（或逗号、分号）分隔，第一位为领衔代表/第一提案人；集体提案人的识别见文档",
        required=True,
    ),
    Column(
        "role",
        "办理类型",
        ("办理方式", "承办类型", "本单位办理类型", "role"),
        "主办、协办（会办）或分办",
        required=True,
    ),
    Column(
        "seconders",
        "附议人",
        ("附议代表", "附议委员", "附议人员", "seconders"),
        "附议的代表或委员，以“、”分隔（列在提案人之后，标为附议）；提案人列的第一位为领衔",
    ),
    Column(
        "unit",
        "承办单位",
        ("承办部门", "办理单位", "责任单位", "承办单位名称", "unit"),
        "一本台账记多个单位的案件时填写承办本件的单位（gongwen summary 按此分单位汇总）；"
        "空为本单位",
    ),
    Column("lead_unit", "主办单位", ("牵头单位", "lead_unit"), "协办时必填"),
    Column(
        "co_units",
        "协办单位",
        ("配合单位", "co_units"),
        "本单位主办时的其他承办单位（协办和会办的），多个单位以“、”分隔",
    ),
    Column(
        "joint_units",
        "会办单位",
        ("joint_units",),
        "协办单位中会办（而非协办）的单位，以“、”分隔；未写在“协办单位”列的自动加入",
    ),
    Column(
        "assigned_date",
        "交办日期",
        ("交办时间", "assigned_date", "assigned"),
        "Excel 日期，或 2024-03-15、2024/3/15、2024年3月15日",
        required=True,
    ),
    Column("category", "分类", ("内容分类", "领域", "category"), "案件分类"),
    Column(
        "key",
        "重点",
        ("是否重点", "重点建议提案", "重点提案", "重点建议", "key"),
        "是/否（也可写 √、Y、1）；空为否",
    ),
    Column(
        "consent_publish",
        "同意公开",
        ("是否同意公开", "consent_publish"),
        "提案人是否同意公开答复：是/否；空为未表态",
    ),
    Column("region", "地区", ("地区名称", "region"), "用于届次正式全称，如 临湖区"),
    Column(
        "time_limit",
        "办理时限",
        ("办理时限月", "time_limit_months", "time_limit"),
        "月数；空时按单位配置",
    ),
    Column("extended_to", "延期至", ("延期日期", "extended_to"), "日期"),
    Column("extension_reason", "延期理由", ("延期原因", "extension_reason"), ""),
    Column(
        "notice_date",
        "告知函日期",
        (
            "延期告知函日期",
            "延期办理告知函日期",
            "延期告知日期",
            "告知日期",
            "extension_notice_date",
        ),
        "已发出的延期办理告知函的成文日期（应不晚于原办理期限）；填写后批量生成告知函",
    ),
    Column(
        "notice_doc_number",
        "告知函文号",
        (
            "延期告知函文号",
            "延期办理告知函文号",
            "告知函发文字号",
            "延期告知文号",
            "extension_notice_doc_number",
        ),
        "延期办理告知函的发文字号，如 临经信函〔2024〕9号；给出单位配置时也可只写序号 9；"
        "空时序号留空待填",
    ),
    Column(
        "merged_numbers",
        "并案案号",
        ("并案办理案号", "并案", "合并办理案号", "merged_numbers"),
        "与本件并案、由同一答复办理的其他案号，以“、”分隔，如 12、15",
    ),
    Column(
        "case_text",
        "建议提案原文",
        ("提案原文", "建议原文", "提案正文", "建议正文", "case_text"),
        "存档用，不印在答复函中",
    ),
    Column(
        "case_attachments",
        "建议提案附件",
        ("提案附件", "建议附件", "case_attachments"),
        "附件名称，以“、”分隔；存档用",
    ),
    Column(
        "doc_number",
        "发文字号",
        ("文号", "发文号", "答复文号", "答复函文号", "doc_number"),
        "如 临经信函〔2024〕11号；给出单位配置时也可只写序号 11",
    ),
    Column(
        "reply_date",
        "答复日期",
        ("答复时间", "成文日期", "办结日期", "办复日期", "办结时间", "reply_date"),
        "日期",
    ),
    Column(
        "result_class",
        "答复类别",
        ("办理结果类别", "答复分类", "result_class", "class"),
        "按单位配置的类别方案，如 A/B/C（也可写类别名称）",
    ),
    Column("class_reason", "暂不能解决原因", ("原因说明", "class_reason"), "C 类等须说明"),
    Column(
        "disclosure",
        "公开属性",
        ("公开方式", "disclosure"),
        "全文公开/摘要公开/不予公开，或 主动公开/依申请公开/不予公开",
    ),
    Column("disclosure_reason", "不予公开理由", ("不公开理由", "disclosure_reason"), ""),
    Column("signer", "签发人", ("signer",), ""),
    Column("reply_title", "答复标题", ("reply_title",), "省略时自动生成"),
    Column("contact_person", "联系人", ("contact_person",), "答复附注中的联系人；空时用单位默认"),
    Column("contact_phone", "联系电话", ("contact_phone", "phone"), "空时用单位默认"),
    Column(
        "body",
        "答复正文",
        ("正文", "答复内容", "body"),
        "空行分段；也可放在 --bodies 文件夹的文本文件中（见文档）",
    ),
    Column("co_opinions", "协办意见", ("会办意见", "co_opinions"), "每行一条“单位：意见摘要”"),
    Column(
        "uploaded_on",
        "平台上传日期",
        ("上传日期", "上传平台日期", "网上上传日期", "uploaded_on"),
        "答复上传到办理平台的日期",
    ),
    Column(
        "re_kind",
        "后续答复类型",
        ("重新办理类型", "跟踪答复类型", "follow_up_kind"),
        "重新办理 或 跟踪答复；空为重新办理（决定以下“重新办理……”各列是哪一种后续答复）",
    ),
    Column(
        "re_doc_number",
        "重新办理发文字号",
        ("重新办理文号", "rehandling_doc_number"),
        "重新办理（跟踪答复）时填写，以下三列同",
    ),
    Column("re_date", "重新办理答复日期", ("重新办理日期", "rehandling_date"), "日期"),
    Column("re_class", "重新办理答复类别", ("rehandling_class",), ""),
    Column("re_contact_method", "重新办理沟通方式", ("rehandling_contact_method",), ""),
    Column("re_contact_date", "重新办理沟通日期", ("rehandling_contact_date",), ""),
    Column(
        "re_body",
        "重新办理答复正文",
        ("重新办理正文", "rehandling_body"),
        "也可放在正文文件夹的 提案008-重新办理.txt 中",
    ),
    Column(
        "contact_method",
        "沟通方式",
        ("面商方式", "联系方式", "contact_method"),
        "当面/走访/座谈/电话/书面/婉拒面商/未联系（婉拒面商：提案人婉拒当面沟通，计为已沟通）",
    ),
    Column(
        "contact_date",
        "沟通日期",
        ("面商日期", "contact_date"),
        "填写时生成一条沟通记录（方式取“沟通方式”）",
    ),
    Column(
        "attitude",
        "态度评价",
        ("办理态度", "对办理态度评价", "attitude"),
        "满意/基本满意/不满意（或单位配置的评价用语，如 同意/理解/保留/不同意）；"
        "多人时写 张三：满意；李四：基本满意",
    ),
    Column(
        "result",
        "结果评价",
        ("办理结果", "对办理结果评价", "满意度", "满意程度", "办理结果满意度", "result"),
        "同上",
    ),
    Column(
        "pertinence", "针对性", ("是否针对", "答复是否针对", "pertinence"), "针对/基本针对/未针对"
    ),
    Column("opinion", "意见建议", ("意见和建议", "反馈意见", "opinion"), "征询意见表上的意见"),
    Column("feedback_date", "反馈日期", ("填表日期", "feedback_date"), "日期"),
)

#: Headers offices add that carry nothing to read (a running count): ignored without a warning.
IGNORED: tuple[str, ...] = ("序号", "顺序号", "行号", "序")

REQUIRED: frozenset[str] = frozenset(c.key for c in COLUMNS if c.required)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

_NOTE = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]$")
_SPACE = re.compile(r"\s+")


def normalise_header(text: str) -> str:
    """The comparable form of a header cell (see the module docstring)."""
    h = unicodedata.normalize("NFKC", text)
    h = _SPACE.sub("", h).strip("*＊:：")
    h = _NOTE.sub("", h) or h
    return h.strip("*＊:：").lower()


_INDEX: dict[str, Column] = {}
for _c in COLUMNS:
    for _name in (_c.header, *_c.aliases):
        _INDEX[normalise_header(_name)] = _c


_IGNORED = frozenset(normalise_header(h) for h in IGNORED)
_PARTS = re.compile(r"[/／|｜]")


def column_for(header: str) -> Column | None:
    """The column a header cell names, or None when the header is not known.

    A header naming one column in two words (``提案人/领衔代表``) matches when its parts do.
    """
    h = normalise_header(header)
    found = _INDEX.get(h)
    if found is None and _PARTS.search(h):
        parts = {_INDEX.get(p) for p in _PARTS.split(h) if p}
        if len(parts) == 1:
            found = parts.pop()
    return found


def ignored_header(header: str) -> bool:
    """True for a header read as nothing, without a warning (``序号``, see :data:`IGNORED`)."""
    return normalise_header(header) in _IGNORED


def columns_markdown() -> str:
    """The column table as Markdown (for the documentation)."""
    lines = ["| 列名 | 别名 | 必填 | 说明 |", "|---|---|---|---|"]
    for c in COLUMNS:
        lines.append(
            f"| {c.header} | {'、'.join(c.aliases)} | {'是' if c.required else ''} | {c.help} |"
        )
    return "\n".join(lines)
