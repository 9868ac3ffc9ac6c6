"""The public surface: one exception tree, everything the docs use importable from ``gongwen``."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import gongwen
from gongwen import (
    ArgumentError,
    Case,
    GongwenError,
    InputError,
    Organisation,
    Reply,
    load_organisation,
    load_year,
    render_feedback_form,
    render_reply,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLES = ROOT / "examples"


def test_every_public_name_resolves() -> None:
    for name in gongwen.__all__:
        assert getattr(gongwen, name) is not None, name


def _doc_imports() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for doc in DOCS:
        for block in re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            for node in ast.walk(ast.parse(block)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gongwen"):
                    found |= {(doc.name, f"{node.module}:{a.name}") for a in node.names}
    return found


def test_docs_import_only_the_public_surface() -> None:
    imports = _doc_imports()
    assert imports, "the docs show how to import gongwen"
    for doc, spec in sorted(imports):
        module, _, name = spec.partition(":")
        assert module in ("gongwen", "gongwen.models"), f"{doc} imports from {module}"
        assert hasattr(importlib.import_module(module), name), f"{doc}: {spec}"


def _exception_classes() -> list[type[BaseException]]:
    out: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(gongwen.__path__, "gongwen."):
        if info.name.startswith("gongwen.cli") or info.name.endswith("_worker"):
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, Exception)
                and not issubclass(obj, Warning)
                and obj.__module__ == module.__name__
                and not obj.__name__.startswith("_")
            ):
                out.append(obj)
    return out


def test_one_exception_tree() -> None:
    classes = _exception_classes()
    assert classes
    for cls in classes:
        assert issubclass(cls, GongwenError), f"{cls.__module__}.{cls.__name__}"
        assert cls.__module__ == "gongwen.errors", f"{cls.__name__} is defined outside errors.py"
        assert cls.__name__ in gongwen.errors.__doc__, f"{cls.__name__} missing from the tree"


def test_input_error_carries_path_and_field_errors(tmp_path: Path) -> None:
    bad = tmp_path / "org.yaml"
    bad.write_text("name: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_organisation(bad)
    assert info.value.path == str(bad)
    assert info.value.errors and all(isinstance(p, str) for p, _ in info.value.errors)
    missing = tmp_path / "none.yaml"
    with pytest.raises(InputError, match="文件不存在") as info2:
        load_organisation(missing)
    assert info2.value.path == str(missing)


def test_library_messages_name_no_cli_flags(tmp_path: Path) -> None:
    year = load_year(EXAMPLES / "year2024.yaml")
    org = load_organisation(EXAMPLES / "organisation.yaml")
    rec = year.cases[0]
    assert rec.reply is not None
    doc = render_reply(rec.case, rec.reply, org, check=False)
    doc.save(tmp_path / "a.docx")
    with pytest.raises(GongwenError) as info:
        doc.save(tmp_path / "a.docx")
    assert "--" not in str(info.value)


@pytest.mark.parametrize("swap", ["reply-first", "org-as-case", "str-proposer"])
def test_wrong_arguments_raise_a_typed_chinese_error(swap: str) -> None:
    year = load_year(EXAMPLES / "year2024.yaml")
    org = load_organisation(EXAMPLES / "organisation.yaml")
    rec = year.cases[0]
    assert rec.reply is not None
    with pytest.raises(ArgumentError, match="参数") as info:
        if swap == "reply-first":
            render_reply(rec.reply, rec.case, org)  # type: ignore[arg-type]
        elif swap == "org-as-case":
            render_reply(org, rec.reply, org)  # type: ignore[arg-type]
        else:
            render_feedback_form(rec.case, rec.reply, org, "王建国")  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError) and isinstance(info.value, GongwenError)
    assert info.value.argument in {"case", "proposer"}


def test_save_into_a_new_folder_named_with_a_separator(tmp_path: Path) -> None:
    year = load_year(EXAMPLES / "year2024.yaml")
    org = load_organisation(EXAMPLES / "organisation.yaml")
    rec = year.cases[0]
    assert rec.reply is not None
    doc = render_reply(rec.case, rec.reply, org, check=False)
    path = doc.save(f"{tmp_path / 'new'}/")
    assert path == tmp_path / "new" / doc.name and path.is_file()


def test_models_are_exported_with_their_enums() -> None:
    assert {"Body", "Level", "Session", "Round"} <= set(gongwen.__all__)
    from pydantic import BaseModel

    assert all(issubclass(m, BaseModel) for m in (Case, Reply, Organisation))


def test_verify_is_the_function_even_after_its_package_is_imported() -> None:
    import gongwen.verify.pages

    assert callable(gongwen.verify) and gongwen.verify.__name__ == "verify"
    from gongwen import verify

    assert inspect.isfunction(verify)
