"""Errors as HTTP answers: a short JSON problem in Chinese and English, never a traceback."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from plankg.graph.errors import PlanKGError, QueryArgumentError, StoreError, UnknownNameError

__all__ = ["content_type_of", "from_error", "problem", "status_of", "unsupported_type"]


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


def content_type_of(request) -> str:
    """The request's media type, without parameters, in lower case ('' when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def unsupported_type(content_type: str, accepted) -> JSONResponse:
    """415, naming the media types that are accepted."""
    return problem(415, f"不支持的 Content-Type：{content_type or '（无）'}",
                   f"unsupported Content-Type: {content_type or '(none)'}; use "
                   f"{', '.join(accepted)}")
