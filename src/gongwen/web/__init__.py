"""The office workbench ``gongwen serve``: server-rendered pages (FastAPI, Jinja2, htmx).

``gongwen.web.app.create_app(settings)`` builds the app; the pages are in
:mod:`gongwen.web.pages`, the HTTP API for other systems in ``gongwen.web.api_v1``.
"""
