"""Read-only Qt properties that the type checker sees as the values they hold.

PySide6's stubs type a `Property` class attribute as the descriptor object itself and accept only
Python types, not "QVariantMap": Python code reading `controller.screen` would be told it holds a
Property. `qml_property` builds the same Qt property and is typed as its getter's return value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from PySide6.QtCore import Property, Signal

T = TypeVar("T")


def qml_property(
    qt_type: type | str, getter: Callable[[Any], T], *, notify: Signal | None = None, constant: bool = False
) -> T:
    """A read-only Qt property of `qt_type` ("QVariantMap" and "QVariantList" included) read by `getter`."""
    qt_type_any: Any = qt_type  # the stubs say `type`; PySide also takes Qt's type names
    if constant:
        return cast(T, Property(qt_type_any, getter, constant=True))
    return cast(T, Property(qt_type_any, getter, notify=notify))
