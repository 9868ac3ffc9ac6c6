"""Builders for the gongwen GB/T 9704-2012 docx templates (run ``python templates/build.py``)."""
