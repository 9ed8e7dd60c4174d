"""The workbook as an Excel file (.xlsx, Office Open XML), with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook as XlsxBook
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from .model import Cell, Grid, Workbook, column_letter, trimmed

_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_xlsx(workbook: Workbook) -> bytes:
    book = XlsxBook()
    for blank in book.worksheets:  # a new workbook has one empty sheet
        book.remove(blank)
    for sheet in workbook.sheets:
        ws = book.create_sheet(sheet.name)
        for index, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=index, value=column.header)
            cell.font = _HEADER_FONT
            if column.note:
                # Sized so that the note is readable without resizing it.
                cell.comment = Comment(column.note, "portail", width=300, height=160)
            ws.column_dimensions[column_letter(index - 1)].width = column.width
        for row_index, row in enumerate(sheet.rows, start=2):
            for index, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=row_index, column=index, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a text, not a formula for the spreadsheet to run
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str) and ("\n" in value or sheet.columns[index - 1].wrap):
                    cell.alignment = _WRAP
                    if sheet.columns[index - 1].wrap:
                        # Excel does not grow a row to its wrapped text by itself: 15 points a line.
                        width = sheet.columns[index - 1].width
                        lines = sum(-(-len(line) // width) or 1 for line in value.split("\n"))
                        ws.row_dimensions[row_index].height = 15 * lines
        last = len(sheet.rows) + 1 + sheet.spare_rows
        for index, column in enumerate(sheet.columns):
            if column.choices is None or last < 2:
                continue
            choices = column.choices
            source = column_letter(choices.column)
            validation = DataValidation(
                type="list",
                formula1=f"'{choices.sheet}'!${source}$2:${source}${choices.count + 1}",
                allow_blank=True,
                errorStyle="stop" if choices.strict else "information",
                showErrorMessage=True,
                error="Choisissez une valeur de la liste." if choices.strict else None,
            )
            letter = column_letter(index)
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)
        if sheet.frozen_header:
            ws.freeze_panes = "A2"
        if sheet.hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(value: object) -> Cell:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str | int | float | bool | dt.date) or value is None:
        return value
    return str(value)


def read_xlsx(data: bytes) -> Grid:
    book = load_workbook(io.BytesIO(data), data_only=True)
    grid: Grid = {}
    for ws in book.worksheets:
        rows = [[_value(value) for value in row] for row in ws.iter_rows(values_only=True)]
        grid[ws.title] = trimmed(rows)
    return grid
