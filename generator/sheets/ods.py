"""The workbook as an OpenDocument spreadsheet (.ods, LibreOffice's own format), with odfpy.

odfpy writes the ODF elements as they are named in the standard: the drop-down
lists are `table:content-validations`, the help notes `office:annotation`, and
the frozen header row is a view setting of `settings.xml`, as LibreOffice
writes it.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from odf import teletype
from odf.config import ConfigItem, ConfigItemMapEntry, ConfigItemMapIndexed, ConfigItemMapNamed, ConfigItemSet
from odf.namespaces import OFFICENS, TABLENS
from odf.number import DateStyle, Day, Month, Year
from odf.number import Text as NumberText
from odf.office import Annotation
from odf.opendocument import OpenDocumentSpreadsheet, load
from odf.style import Style, TableCellProperties, TableColumnProperties, TableProperties, TextProperties
from odf.table import (
    ContentValidation,
    ContentValidations,
    ErrorMessage,
    Table,
    TableCell,
    TableColumn,
    TableRow,
)
from odf.text import P

from .model import Cell, Choices, Grid, Sheet, Workbook, column_letter, trimmed


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _condition(choices: Choices) -> str:
    source = column_letter(choices.column)
    return f"of:cell-content-is-in-list([${_quoted(choices.sheet)}.${source}$2:.${source}${choices.count + 1}])"


def _paragraphs(element: Any, text: str) -> None:
    # LibreOffice writes a line break inside a cell as one text:p per line.
    for line in text.split("\n"):
        paragraph = P()
        teletype.addTextToElement(paragraph, line)
        element.addElement(paragraph)


class _Styles:
    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.widths: dict[int, Style] = {}
        date_format = DateStyle(name="iso-date")
        for part in (Year(style="long"), NumberText(text="-"), Month(style="long"), NumberText(text="-")):
            date_format.addElement(part)
        date_format.addElement(Day(style="long"))
        doc.automaticstyles.addElement(date_format)
        self.date = self._add(Style(name="date", family="table-cell", datastylename="iso-date"))
        header = Style(name="header", family="table-cell")
        header.addElement(TextProperties(fontweight="bold"))
        self.header = self._add(header)
        wrap = Style(name="wrap", family="table-cell")
        wrap.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
        self.wrap = self._add(wrap)
        hidden = Style(name="hidden-sheet", family="table")
        hidden.addElement(TableProperties(display="false"))
        self.hidden = self._add(hidden)

    def _add(self, style: Style) -> Style:
        self.doc.automaticstyles.addElement(style)
        return style

    def width(self, characters: int) -> Style:
        if characters not in self.widths:
            style = Style(name=f"width-{characters}", family="table-column")
            # About 0.21 cm per character of the default font, as LibreOffice sizes columns.
            style.addElement(TableColumnProperties(columnwidth=f"{characters * 0.21:.2f}cm"))
            self.widths[characters] = self._add(style)
        return self.widths[characters]


def _cell(value: Cell, styles: _Styles, validation: str | None, wrap: bool = False) -> Any:
    extra = {"contentvalidationname": validation} if validation else {}
    if value is None or value == "":
        return TableCell(**extra)
    if isinstance(value, bool):
        cell = TableCell(valuetype="string", **extra)
        _paragraphs(cell, "oui" if value else "non")
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=repr(value), **extra)
        _paragraphs(cell, repr(value))
    elif isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=styles.date, **extra)
        _paragraphs(cell, value.isoformat())
    else:
        style = {"stylename": styles.wrap} if "\n" in value or wrap else {}
        cell = TableCell(valuetype="string", **style, **extra)
        _paragraphs(cell, value)
    return cell


def _table(sheet: Sheet, styles: _Styles, validations: dict[int, str]) -> Any:
    table = Table(name=sheet.name, **({"stylename": styles.hidden} if sheet.hidden else {}))
    for column in sheet.columns:
        table.addElement(TableColumn(stylename=styles.width(column.width)))
    header = TableRow()
    for column in sheet.columns:
        cell = TableCell(valuetype="string", stylename=styles.header)
        if column.note:
            note = Annotation()
            _paragraphs(note, column.note)
            cell.addElement(note)
        _paragraphs(cell, column.header)
        header.addElement(cell)
    table.addElement(header)
    for row in sheet.rows:
        element = TableRow()
        for index in range(len(sheet.columns)):
            value = row[index] if index < len(row) else None
            element.addElement(_cell(value, styles, validations.get(index), sheet.columns[index].wrap))
        table.addElement(element)
    if sheet.spare_rows and validations:
        spare = TableRow(numberrowsrepeated=sheet.spare_rows)
        for index in range(len(sheet.columns)):
            spare.addElement(_cell(None, styles, validations.get(index)))
        table.addElement(spare)
    return table


def _settings(doc: Any, workbook: Workbook) -> None:
    """The frozen header rows: LibreOffice's per-sheet view settings."""

    def item(name: str, kind: str, value: object) -> Any:
        element = ConfigItem(name=name, type=kind)
        element.addText(str(value))
        return element

    tables = ConfigItemMapNamed(name="Tables")
    for sheet in workbook.sheets:
        if not sheet.frozen_header:
            continue
        entry = ConfigItemMapEntry(name=sheet.name)
        for name, kind, value in (
            ("HorizontalSplitMode", "short", 0),
            ("VerticalSplitMode", "short", 2),  # 2: frozen
            ("HorizontalSplitPosition", "int", 0),
            ("VerticalSplitPosition", "int", 1),  # below the first row
            ("ActiveSplitRange", "short", 2),
            ("PositionLeft", "int", 0),
            ("PositionRight", "int", 0),
            ("PositionTop", "int", 0),
            ("PositionBottom", "int", 1),
        ):
            entry.addElement(item(name, kind, value))
        tables.addElement(entry)
    view = ConfigItemMapEntry()
    view.addElement(item("ViewId", "string", "view1"))
    view.addElement(tables)
    view.addElement(item("ActiveTable", "string", workbook.sheets[0].name))
    views = ConfigItemMapIndexed(name="Views")
    views.addElement(view)
    settings = ConfigItemSet(name="ooo:view-settings")
    settings.addElement(views)
    doc.settings.addElement(settings)


def write_ods(workbook: Workbook) -> bytes:
    doc = OpenDocumentSpreadsheet()
    styles = _Styles(doc)
    rules = ContentValidations()
    tables = []
    count = 0
    for sheet in workbook.sheets:
        validations: dict[int, str] = {}
        for index, column in enumerate(sheet.columns):
            if column.choices is None:
                continue
            count += 1
            name = f"list{count}"
            rule = ContentValidation(
                name=name,
                condition=_condition(column.choices),
                allowemptycell="true",
                basecelladdress=f"{_quoted(sheet.name)}.{column_letter(index)}2",
                displaylist="unsorted",
            )
            # "stop" refuses other values; "information" only says so (several lines in a cell).
            rule.addElement(
                ErrorMessage(display="true", messagetype="stop" if column.choices.strict else "information")
            )
            rules.addElement(rule)
            validations[index] = name
        tables.append(_table(sheet, styles, validations))
    if count:
        doc.spreadsheet.addElement(rules)
    for table in tables:
        doc.spreadsheet.addElement(table)
    _settings(doc, workbook)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------


def _attribute(element: Any, name: str) -> str | None:
    value = element.attributes.get((TABLENS, name))
    return None if value is None else str(value)


def _from_office(element: Any, name: str) -> str | None:
    value = element.attributes.get((OFFICENS, name))
    return None if value is None else str(value)


def _read_cell(cell: Any) -> Cell:
    kind = _from_office(cell, "value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(_from_office(cell, "value") or 0)
        return int(number) if number.is_integer() and "." not in (_from_office(cell, "value") or "") else number
    if kind == "date":
        text = _from_office(cell, "date-value") or ""
        return dt.date.fromisoformat(text[:10]) if "T" not in text else dt.datetime.fromisoformat(text)
    if kind == "boolean":
        return _from_office(cell, "boolean-value") == "true"
    # Only the cell's own paragraphs: an annotation (a note) is not its value.
    lines = [teletype.extractText(child) for child in cell.childNodes if child.qname[1] == "p"]
    return "\n".join(lines) if lines else None


def read_ods(data: bytes) -> Grid:
    doc = load(io.BytesIO(data))
    grid: Grid = {}
    for table in doc.spreadsheet.getElementsByType(Table):
        rows: list[list[Cell]] = []
        empty_rows = 0  # LibreOffice pads a sheet with a million empty rows, and rows with
        for row in table.getElementsByType(TableRow):  # a thousand empty cells: counted, not made
            values: list[Cell] = []
            empty_cells = 0
            for cell in row.childNodes:
                if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                value = _read_cell(cell)
                repeat = int(_attribute(cell, "number-columns-repeated") or 1)
                if value in (None, ""):
                    empty_cells += repeat
                    continue
                values.extend([None] * empty_cells + [value] * repeat)
                empty_cells = 0
            repeat = int(_attribute(row, "number-rows-repeated") or 1)
            if not values:
                empty_rows += repeat
                continue
            rows.extend([[] for _ in range(empty_rows)] + [list(values) for _ in range(repeat)])
            empty_rows = 0
        grid[str(_attribute(table, "name"))] = trimmed(rows)
    return grid
