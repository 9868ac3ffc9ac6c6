"""Loading models from YAML/JSON files (organisation, year, one case file)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from gongwen.errors import InputError, error_list, format_validation_error
from gongwen.models import CaseRecord, HandlingYear, Organisation

M = TypeVar("M", bound=BaseModel)


def read_data(path: str | os.PathLike[str]) -> Any:
    """Read a YAML or JSON file into plain Python data."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"文件不存在：{p}", path=p) from None
    except IsADirectoryError:
        raise InputError(f"应为文件，而不是文件夹：{p}", path=p) from None
    except PermissionError:
        raise InputError(f"没有读取权限：{p}", path=p) from None
    except UnicodeDecodeError:
        raise InputError(f"文件不是 UTF-8 编码：{p}", path=p) from None
    try:
        if p.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise InputError(f"无法解析文件 {p}：{exc}", path=p) from None


def load_model(model: type[M], path: str | os.PathLike[str], key: str | None = None) -> M:
    """Validate a YAML/JSON file (or one top-level key of it) as ``model``."""
    data = read_data(path)
    if key is not None and isinstance(data, dict) and key in data:
        data = data[key]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"{path} 内容有误：\n{format_validation_error(exc)}",
            path=path,
            errors=error_list(exc),
        ) from None


def load_organisation(path: str | os.PathLike[str]) -> Organisation:
    """Load the issuing organisation (YAML/JSON), e.g. ``examples/organisation.yaml``."""
    return load_model(Organisation, path)


def load_year(path: str | os.PathLike[str]) -> HandlingYear:
    """Load a year of cases (YAML/JSON with ``year`` and ``cases``)."""
    return load_model(HandlingYear, path)


def load_record(path: str | os.PathLike[str]) -> CaseRecord:
    """Load one case file (YAML/JSON with ``case``, ``reply``, ``feedback``)."""
    return load_model(CaseRecord, path)
