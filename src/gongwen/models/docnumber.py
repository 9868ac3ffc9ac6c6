"""发文字号: ``海经函〔2024〕15号``."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, GetJsonSchemaHandler, model_serializer, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from gongwen.models._base import GwModel, fail

DOC_NUMBER_HINT = '发文字号格式应为"机关代字〔年份〕序号号"，如"海经函〔2024〕15号"'

#: Printed in place of the serial of a number not yet given (``临经信函〔2024〕  号``), so it
#: can be written in by hand on a draft.
BLANK_SERIAL = "  "

# Strict form required on output (GB/T 9704 §7.2.4).
STRICT_PATTERN = re.compile(r"^([\u4e00-\u9fa5A-Za-z0-9]+)〔((?:19|20)\d{2})〕([1-9]\d*)号$")
# Lenient form accepted on input: other brackets are normalised and reported.
_LENIENT = re.compile(
    r"^\s*([\u4e00-\u9fa5A-Za-z0-9]+)\s*([〔\[［【（(〈<{｛])\s*((?:19|20)\d{2})\s*"
    r"([〕\]］】）)〉>}｝])\s*([1-9]\d*)\s*号\s*$"
)
# A number left blank for hand-writing: ``临经信函〔2024〕  号`` or ``〔2024〕号``.
_BLANK = re.compile(r"^\s*([\u4e00-\u9fa5A-Za-z0-9]*)〔((?:19|20)\d{2})〕[\s\u3000]*号\s*$")


class DocNumber(GwModel):
    """A document number. Parses from and serialises to its text form ``海经函〔2024〕15号``.

    Input may use ``[]``, ``【】`` or ``（）`` instead of ``〔〕``; it is normalised and the
    original kept in :attr:`original` so a check can report the change.
    """

    code: str = Field(title="机关代字", pattern=r"^[\u4e00-\u9fa5A-Za-z0-9]*$")
    year: int = Field(ge=1900, le=2099, title="年份")
    serial: int | None = Field(
        default=None, ge=1, title="序号", description="省略时为待编号（草稿上留空，手写）"
    )
    original: str | None = Field(
        default=None, title="原始写法", description="输入时括号不规范、已规范化的原文"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return cls._parse_dict(data)
        return data

    @model_validator(mode="after")
    def _code_given(self) -> DocNumber:
        if self.serial is not None and not self.code:
            raise fail(f"{DOC_NUMBER_HINT}：缺少机关代字")
        return self

    @staticmethod
    def _parse_dict(text: str) -> dict[str, Any]:
        m = STRICT_PATTERN.match(text.strip())
        if m:
            return {"code": m[1], "year": int(m[2]), "serial": int(m[3])}
        m = _LENIENT.match(text)
        if m:
            return {
                "code": m[1],
                "year": int(m[3]),
                "serial": int(m[5]),
                "original": text.strip(),
            }
        m = _BLANK.match(text)
        if m:
            return {"code": m[1], "year": int(m[2])}
        raise fail(f'{DOC_NUMBER_HINT}，而不是"{text}"')

    @classmethod
    def parse(cls, text: str) -> DocNumber:
        """Parse ``海经函〔2024〕15号`` (lenient brackets are normalised)."""
        return cls.model_validate(text)

    @classmethod
    def pending(cls, code: str, year: int) -> DocNumber:
        """A number of the series ``code`` and ``year`` whose serial is not given yet."""
        return cls(code=code, year=year)

    @property
    def blank(self) -> bool:
        """True while the serial is not given (a draft prints ``〔2024〕  号``)."""
        return self.serial is None

    def numbered(self, serial: int) -> DocNumber:
        """The same series with ``serial``."""
        return DocNumber(code=self.code, year=self.year, serial=serial)

    @property
    def normalised(self) -> bool:
        """True when the input used other brackets and was normalised."""
        return self.original is not None

    def __str__(self) -> str:
        serial = BLANK_SERIAL if self.serial is None else str(self.serial)
        return f"{self.code}〔{self.year}〕{serial}号"

    @model_serializer(mode="plain")
    def _to_text(self) -> str:
        return str(self)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "title": "发文字号",
            "description": DOC_NUMBER_HINT,
            "examples": ["海经函〔2024〕15号"],
        }
