"""Form helpers shared by the components: validation errors that carry Korean messages per field."""

from __future__ import annotations

from typing import Any


class ValidationFailed(Exception):
    """Raised by services when input is refused; `errors` maps field name → Korean message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotAllowed(Exception):
    """The user may not do this (shown as 403 with the message)."""

    def __init__(self, message: str = "권한이 없습니다.") -> None:
        super().__init__(message)
        self.message = message


class NotFound(Exception):
    """The object does not exist or is not visible to this user (shown as 404)."""

    def __init__(self, message: str = "찾을 수 없습니다.") -> None:
        super().__init__(message)
        self.message = message


class Conflict(Exception):
    """A state conflict (edited by someone else, locked…); shown with the message."""

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.current = current


def clean_text(
    value: Any, *, field: str, label: str, max_length: int, required: bool = True, errors: dict[str, str]
) -> str:
    """Trim a text field and record a Korean error when it is missing or too long."""
    text = str(value or "").strip()
    if required and not text:
        errors[field] = f"{label}을(를) 입력하세요."
    elif len(text) > max_length:
        errors[field] = f"{label}은(는) {max_length}자 이하로 입력하세요. (지금 {len(text)}자)"
    return text
