"""The French catalog of fields: every field a coordinator fills in has a label and a help sentence."""

from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel

from generator.records.fields import field_help
from generator.records.models import Dispositif, Permanence, Service


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    """Every model reachable from `model` through its fields' types."""
    seen.add(model)
    for info in model.model_fields.values():
        stack: list[object] = [info.annotation]
        while stack:
            kind = stack.pop()
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                if kind not in seen:
                    _models(kind, seen)
            else:
                stack.extend(typing.get_args(kind))


def _fields() -> list[tuple[type[BaseModel], str]]:
    seen: set[type[BaseModel]] = set()
    for kind in (Service, Permanence, Dispositif):
        _models(kind, seen)
    return sorted(((m, f) for m in seen for f in m.model_fields), key=lambda mf: (mf[0].__name__, mf[1]))


@pytest.mark.parametrize(("model", "field"), _fields(), ids=lambda v: v.__name__ if isinstance(v, type) else v)
def test_every_field_has_a_french_label_and_help(model: type[BaseModel], field: str) -> None:
    entry = field_help(model, field)
    assert entry.label and entry.label[0].isupper()
    assert entry.help.endswith((".", "»", ")")), entry.help


def test_a_missing_field_is_named() -> None:
    with pytest.raises(KeyError, match=r"Service\.nope"):
        field_help(Service, "nope")


def test_labels_are_unique_within_a_record_kind() -> None:
    """A spreadsheet's columns and a form's fields are told apart by their labels."""
    for kind in (Service, Permanence, Dispositif):
        labels = [field_help(kind, f).label for f in kind.model_fields]
        assert len(labels) == len(set(labels)), sorted(labels)
