"""UNO conversion worker for gongwen.preview (internal).

Run by a Python interpreter that has LibreOffice's ``uno`` module (on Debian: /usr/bin/python3
with the python3-uno package), NOT by the project's own Python. It imports nothing from gongwen
and nothing outside the standard library except ``uno``.

It connects to a LibreOffice that gongwen.preview has started with
``--accept=pipe,name=NAME;urp;StarOffice.ComponentContext`` and then serves requests, one JSON
object per line on stdin, one answer per line on stdout:

    {"op": "convert", "src": "/abs/in.docx", "dst": "/abs/out.pdf"}
        -> {"ok": true} | {"ok": false, "fatal": bool, "error": "..."}
    {"op": "ping"}  -> {"ok": true}
    {"op": "quit"}  -> {"ok": true}, asks LibreOffice to terminate, exits

The first line it writes is {"ready": true} once connected, or {"ready": false, "error": ...}.
"fatal" means the LibreOffice connection is gone or unusable: the caller restarts LibreOffice.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from typing import Any

# The exit code that tells the caller this interpreter has no `uno` module.
EXIT_NO_UNO = 3


def _send(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipe", required=True, help="name of LibreOffice's UNO pipe")
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    args = parser.parse_args()

    try:
        import uno  # type: ignore[import-not-found]
        from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
        from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
    except ImportError as exc:
        _send({"ready": False, "error": f"no uno: {exc}"})
        return EXIT_NO_UNO

    def props(**kwargs: Any) -> tuple[Any, ...]:
        out = []
        for name, value in kwargs.items():
            p = PropertyValue()
            p.Name = name
            p.Value = value
            out.append(p)
        return tuple(out)

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={args.pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + args.connect_timeout
    ctx = None
    while ctx is None:
        try:
            ctx = resolver.resolve(url)
        except NoConnectException:
            if time.monotonic() > deadline:
                _send({"ready": False, "error": "LibreOffice did not open its UNO pipe in time"})
                return 2
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    _send({"ready": True})

    def alive() -> bool:
        try:
            desktop.getFrames()
            return True
        except Exception:
            return False

    # Load hidden and read-only; never run macros or update links from a document.
    load_props = props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0)
    store_props = props(FilterName="writer_pdf_Export", Overwrite=True)

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except ValueError as exc:
            _send({"ok": False, "fatal": False, "error": f"bad request: {exc}"})
            continue
        op = req.get("op")
        if op == "ping":
            _send({"ok": True} if alive() else {"ok": False, "fatal": True, "error": "dead"})
        elif op == "quit":
            # LibreOffice may already be gone, or close the bridge while terminating.
            with contextlib.suppress(Exception):
                desktop.terminate()
            _send({"ok": True})
            return 0
        elif op == "convert":
            doc = None
            try:
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(req["src"]), "_blank", 0, load_props
                )
                if doc is None:
                    raise RuntimeError("LibreOffice could not open the document")
                doc.storeToURL(uno.systemPathToFileUrl(req["dst"]), store_props)
                _send({"ok": True})
            except Exception as exc:
                _send({"ok": False, "fatal": not alive(), "error": f"{type(exc).__name__}: {exc}"})
            finally:
                if doc is not None:
                    try:
                        doc.close(True)
                    except Exception:
                        # The connection is gone: the next request reports it.
                        with contextlib.suppress(Exception):
                            doc.dispose()
        else:
            _send({"ok": False, "fatal": False, "error": f"unknown op: {op!r}"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
