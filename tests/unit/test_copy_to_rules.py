"""GW301 (placeholders) and GW316 (trailing punctuation) check the 抄送 units the configuration
adds (``Config.copy_to``: by body and by document kind) as they check a reply's own ``copy_to``:
a configured unit is printed on the letter, so a bad one is reported — at its configuration path,
once, and only for documents that print it."""

from __future__ import annotations

from datetime import date

from gongwen.findings import Finding
from tests.unit.test_checks_rules import EXTENDED, P8, S85, edit, org_config, rec, run, tracking

CONFIGURED = {
    "by_body": {"政协": ["区政协提案委员会。"], "人大": ["XX代表工委"]},
    "by_document": {"跟踪答复": ["区政府督查室；"], "延期办理告知函": ["某某办公室"]},
}
ORG_CONF = org_config(copy_to=CONFIGURED)


def _found(findings: list[Finding], code: str) -> list[str]:
    return sorted(f.path for f in findings if f.code == code)


def test_by_body_unit_punctuation() -> None:
    """提案008 (政协): 区政协提案委员会。 is printed after the organisation's units."""
    findings = run(rec(P8), ORG_CONF)
    assert _found(findings, "GW316") == ["organisation.config.copy_to.by_body.政协[0]"]
    msg = next(f.message for f in findings if f.code == "GW316")
    assert "区政协提案委员会。" in msg
    assert _found(findings, "GW301") == []  # the 人大 unit is not printed on a 提案's reply


def test_by_body_unit_placeholder() -> None:
    """建议 (人大): XX代表工委 is a placeholder on the printed 抄送 line."""
    findings = run(rec(S85), ORG_CONF)
    assert _found(findings, "GW301") == ["organisation.config.copy_to.by_body.人大[0]"]
    assert _found(findings, "GW316") == []


def test_by_document_units_only_on_their_documents() -> None:
    record = rec(P8)
    assert record.reply is not None
    followed = edit(record, follow_ups=[tracking(record, date(2024, 9, 1))])
    findings = run(followed, ORG_CONF)
    assert _found(findings, "GW316") == [
        "organisation.config.copy_to.by_body.政协[0]",  # reported once for two letters
        "organisation.config.copy_to.by_document.跟踪答复[0]",
    ]
    notice = {**EXTENDED, "extension_notice": {"date": date(2024, 6, 1)}}
    noticed = edit(rec(S85), case=notice)
    assert "organisation.config.copy_to.by_document.延期办理告知函[0]" in _found(
        run(noticed, ORG_CONF), "GW301"
    )


def test_own_copy_to_replaces_the_configured() -> None:
    record = rec(P8)
    assert record.reply is not None
    own = edit(record, reply={"copy_to": ["区政府办公室"]})
    findings = run(own, ORG_CONF)
    assert _found(findings, "GW316") == [] and _found(findings, "GW301") == []
