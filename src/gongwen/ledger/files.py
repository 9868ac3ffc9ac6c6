"""Loading models from YAML/JSON files (organisation, year, one case file).

YAML goes through a safe loader that refuses a document whose aliases (``*a``) expand past
:data:`MAX_YAML_NODES` values (a file of a few hundred bytes can expand to gigabytes); JSON
and YAML nest at most :data:`MAX_DEPTH` levels, and a file is at most :data:`MAX_FILE_BYTES`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from gongwen.errors import ArgumentError, InputError, error_list, format_validation_error
from gongwen.models import CaseRecord, HandlingYear, Organisation

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_YAML_NODES",
    "STDIN",
    "STDIN_NAME",
    "load_model",
    "load_organisation",
    "load_record",
    "load_year",
    "parse_data",
    "read_data",
    "read_limited",
    "read_stdin",
]

M = TypeVar("M", bound=BaseModel)

#: The deepest nesting of lists and mappings accepted in a JSON or YAML file.
MAX_DEPTH = 64
#: The largest YAML/JSON data file read (bytes).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The most values a YAML document may hold once its aliases are expanded.
MAX_YAML_NODES = 1_000_000


class _BoundedLoader(yaml.SafeLoader):
    """yaml.SafeLoader that stops nesting past :data:`MAX_DEPTH` while composing."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, f"嵌套超过 {MAX_DEPTH} 层", event.start_mark
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has with every alias written out (memoised, no recursion)."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            size[id(node)] = min(1 + sum(size[id(c)] for c in children), MAX_YAML_NODES + 1)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)
    return size[id(root)]


def _load_yaml(text: str) -> Any:
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_YAML_NODES:
            raise ValueError(f"别名（*）展开后超过 {MAX_YAML_NODES} 项的上限，文件可能是恶意构造的")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _depth_ok(data: Any) -> bool:
    """True when ``data`` nests at most :data:`MAX_DEPTH` levels (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return True


def _json_depth_ok(text: str) -> bool:
    """The brackets of a JSON text nest at most :data:`MAX_DEPTH` levels (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def parse_data(text: str, name: str, *, json_format: bool) -> Any:
    """Parse JSON or YAML text with the limits above; ``ValueError`` (Chinese) when refused."""
    if json_format:
        if not _json_depth_ok(text):
            raise ValueError(f"嵌套超过 {MAX_DEPTH} 层")
        try:
            return json.loads(text)
        except RecursionError:
            raise ValueError(f"嵌套超过 {MAX_DEPTH} 层") from None
        except json.JSONDecodeError as exc:
            where = f"第{exc.lineno}行第{exc.colno}列"
            raise ValueError(f"{where}：JSON 格式有误（{exc.msg}）") from None
    try:
        data = _load_yaml(text)
    except RecursionError:
        raise ValueError(f"嵌套超过 {MAX_DEPTH} 层") from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None)
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行：" if mark is not None and "第" not in str(problem) else ""
        raise ValueError(f"{where}{problem or exc}") from None
    if not _depth_ok(data):
        raise ValueError(f"嵌套超过 {MAX_DEPTH} 层")
    return data


def _path(value: object, name: str = "path") -> Path:
    if not isinstance(value, str | os.PathLike):
        raise ArgumentError(
            f"参数 {name} 应为文件路径（str 或 Path），收到 {type(value).__name__}", argument=name
        )
    return Path(value)


def _read_text(p: Path, what: str = "", limit: int | None = None) -> str:
    """The text of ``p`` (at most ``limit + 1`` characters), every OS error in Chinese."""
    try:
        with p.open("r", encoding="utf-8-sig") as fh:
            return fh.read() if limit is None else fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{what}文件不存在：{p}", path=p) from None
    except IsADirectoryError:
        raise InputError(f"{what}应为文件，而不是文件夹：{p}", path=p) from None
    except PermissionError:
        message = f"没有读取{what}的权限：{p}" if what else f"没有读取权限：{p}"
        raise InputError(message, path=p) from None
    except UnicodeDecodeError:
        raise InputError(f"{what}文件不是 UTF-8 编码：{p}", path=p) from None
    except OSError as exc:
        raise InputError(f"无法读取{what or '文件'} {p}：{exc.strerror or exc}", path=p) from None


def read_limited(path: str | os.PathLike[str], limit: int, what: str) -> str:
    """A UTF-8 text file of at most ``limit`` characters (read no further: ``/dev/zero`` is fine).

    Raises :class:`InputError` naming the file and the limit.
    """
    p = _path(path)
    text = _read_text(p, what, limit)
    if len(text) > limit:
        raise InputError(f"{what}过长：{p} 超过 {limit} 字的上限", path=p)
    return text


#: The path that stands for standard input (``gongwen reply - … < 案件.json``).
STDIN = "-"
#: How standard input is named in messages.
STDIN_NAME = "标准输入"


def read_stdin() -> str:
    """Standard input as text (UTF-8, at most :data:`MAX_FILE_BYTES`), refused when empty."""
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if sys.stdin is None or stream is None:
        raise InputError(f"{STDIN_NAME}不可用")
    if sys.stdin.isatty():
        raise InputError(f"{STDIN_NAME}是终端：请用重定向或管道给出数据，如 < 案件.json")
    raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"{STDIN_NAME}的数据过大（上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）")
    try:
        text: str = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{STDIN_NAME}的数据不是 UTF-8 编码") from None
    if not text.strip():
        raise InputError(f"{STDIN_NAME}没有数据（应为 JSON 或 YAML）")
    return text


def _read_stdin_data() -> Any:
    """Standard input as data: JSON when it starts with ``{`` or ``[``, YAML otherwise."""
    text = read_stdin()
    as_json = text.lstrip()[:1] in ("{", "[")
    try:
        return parse_data(text, STDIN_NAME, json_format=as_json)
    except ValueError as exc:
        kind = "JSON" if as_json else "YAML"
        raise InputError(f"无法解析{STDIN_NAME}的 {kind} 数据：{exc}") from None


def read_data(path: str | os.PathLike[str]) -> Any:
    """Read a YAML or JSON file into plain Python data (``"-"``: standard input)."""
    p = _path(path)
    if str(path) == STDIN:
        return _read_stdin_data()
    try:
        size = p.stat().st_size
    except OSError:
        size = 0  # reported by the read below, in Chinese
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"文件过大：{p}（{size} 字节，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）", path=p
        )
    text = _read_text(p)
    try:
        return parse_data(text, p.name, json_format=p.suffix.lower() == ".json")
    except ValueError as exc:
        raise InputError(f"无法解析文件 {p}：{exc}", path=p) from None


def load_model(model: type[M], path: str | os.PathLike[str], key: str | None = None) -> M:
    """Validate a YAML/JSON file (or one top-level key of it) as ``model``."""
    data = read_data(path)
    if key is not None and isinstance(data, dict) and key in data:
        data = data[key]
    try:
        # relative attachment files resolve against the file's folder
        return model.model_validate(data, context={"base_dir": _path(path).parent})
    except ValidationError as exc:
        shown = STDIN_NAME if str(path) == STDIN else path
        raise InputError(
            f"{shown} 内容有误：\n{format_validation_error(exc)}",
            path=path,
            errors=error_list(exc),
        ) from None


def load_organisation(path: str | os.PathLike[str]) -> Organisation:
    """Load the issuing organisation (YAML/JSON), e.g. ``examples/organisation.yaml``."""
    return load_model(Organisation, _path(path))


def load_year(path: str | os.PathLike[str]) -> HandlingYear:
    """Load a year of cases (YAML/JSON with ``year`` and ``cases``)."""
    return load_model(HandlingYear, _path(path))


def load_record(path: str | os.PathLike[str]) -> CaseRecord:
    """Load one case file (YAML/JSON with ``case``, ``reply``, ``feedback``)."""
    return load_model(CaseRecord, _path(path))
