"""JSON Schema of the input models, for systems that integrate over JSON."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from gongwen.models import (
    Case,
    CaseRecord,
    Config,
    Feedback,
    HandlingYear,
    Organisation,
    Reply,
)

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "year": HandlingYear,
    "record": CaseRecord,
    "case": Case,
    "reply": Reply,
    "feedback": Feedback,
    "organisation": Organisation,
    "config": Config,
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of input model ``name`` (see :data:`SCHEMA_MODELS`)."""
    return SCHEMA_MODELS[name].model_json_schema(mode="validation")
