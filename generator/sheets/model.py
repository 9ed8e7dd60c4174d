"""A workbook as plain data, the same for .xlsx and .ods.

`export` builds it from the records; `xlsx` and `ods` write it, each in its own
format, and read any workbook back as rows of cell values. Nothing here knows a
file format, and nothing in the writers knows a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: What a cell holds, once read: text, a number, a date, a truth value or nothing.
Cell = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class Choices:
    """A drop-down list: the values of rows 2..`count` + 1 of column `column` (0-based) of `sheet`.

    `strict`: only these values are accepted (a stop error); otherwise the list is
    a help, and the spreadsheet lets other values through (several lines in a cell).
    """

    sheet: str
    column: int
    count: int
    strict: bool = True


@dataclass(frozen=True)
class Column:
    header: str
    note: str = ""
    width: int = 18  # in characters
    choices: Choices | None = None
    #: Long text: lines wrap at the column's width (the instructions).
    wrap: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: Empty rows below the records that still get the drop-down lists, for new records.
    spare_rows: int = 0
    hidden: bool = False
    #: The header row stays in view while scrolling (not on the instructions sheet).
    frozen_header: bool = True


@dataclass(frozen=True)
class Workbook:
    sheets: tuple[Sheet, ...] = field(default_factory=tuple)

    def sheet(self, name: str) -> Sheet:
        return next(sheet for sheet in self.sheets if sheet.name == name)


#: A workbook read back: each sheet's rows, header row included, by sheet name.
Grid = dict[str, list[list[Cell]]]


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': how both formats name a column in formulas."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def trimmed(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rows without their trailing empty cells, and without trailing empty rows."""
    result = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] in (None, ""):
            end -= 1
        result.append(row[:end])
    while result and not result[-1]:
        result.pop()
    return result
