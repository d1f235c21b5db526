"""Errors as HTTP answers: a short JSON problem in Chinese and English, never a traceback."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from graph.errors import PlanKGError, QueryArgumentError, StoreError, UnknownNameError

__all__ = ["from_error", "problem", "status_of"]


def problem(status: int, zh: str, en: str, *, headers: dict | None = None,
            **extra) -> JSONResponse:
    body = {"status": status, "message_zh": zh, "message_en": en,
            "message": f"{zh} / {en}", **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def status_of(error: PlanKGError) -> int:
    if isinstance(error, UnknownNameError):
        return 404
    if isinstance(error, QueryArgumentError):
        return 400
    if isinstance(error, StoreError):
        return 503
    return 400


def from_error(error: PlanKGError) -> JSONResponse:
    extra = {"suggestion": error.suggestion} if isinstance(error, UnknownNameError) else {}
    return problem(status_of(error), error.zh, error.en, **extra)
