"""Change record files the way a careful person would: only what was meant to change.

The writing tools (the spreadsheet import, `verified`, the campaigns) read a record
with `RecordText.read`, change values with `set` and `remove`, and `save`. What is
written keeps everything else of the file as it was: comments, key order, quoting,
blank lines, the way long texts are wrapped. A file changed by someone else since it
was read is never overwritten, and a record file is never deleted.
"""

from __future__ import annotations

from .yamltext import EditConflict, RecordText, write_new

__all__ = ["EditConflict", "RecordText", "write_new"]
