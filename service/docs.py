"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served with
their scripts and styles from this service, so that they work on a machine without internet.

FastAPI's own pages load Swagger UI and ReDoc from a CDN (and ReDoc its fonts from Google):
offline they stay blank. The assets come from the ``fastapi-offline`` package, installed as a
dependency (nothing third-party is copied into this repository); it is found through
``importlib.resources``, and only the files named in :data:`ASSETS` are served.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from .errors import problem

__all__ = ["router"]

router = APIRouter()

ASSET_PATH = "/docs/assets"
ASSETS = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
          "swagger-ui.css": "text/css; charset=utf-8",
          "redoc.standalone.js": "text/javascript; charset=utf-8",
          "favicon.png": "image/png"}
CACHED = {"Cache-Control": "public, max-age=86400"}


@cache
def _asset(name: str) -> bytes:
    return files("fastapi_offline").joinpath("static", name).read_bytes()


def _prefix(request: Request) -> str:
    """The path the app is served under (behind a proxy that strips a prefix), without "/"."""
    return request.scope.get("root_path", "").rstrip("/")


@router.get("/docs", include_in_schema=False)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = _prefix(request)
    return get_swagger_ui_html(openapi_url=root + request.app.openapi_url,
                               title=f"{request.app.title} - Swagger UI",
                               swagger_js_url=f"{root}{ASSET_PATH}/swagger-ui-bundle.js",
                               swagger_css_url=f"{root}{ASSET_PATH}/swagger-ui.css",
                               swagger_favicon_url=f"{root}{ASSET_PATH}/favicon.png",
                               swagger_ui_parameters=request.app.swagger_ui_parameters)


@router.get("/redoc", include_in_schema=False)
async def redoc(request: Request) -> HTMLResponse:
    root = _prefix(request)
    return get_redoc_html(openapi_url=root + request.app.openapi_url,
                          title=f"{request.app.title} - ReDoc",
                          redoc_js_url=f"{root}{ASSET_PATH}/redoc.standalone.js",
                          redoc_favicon_url=f"{root}{ASSET_PATH}/favicon.png",
                          with_google_fonts=False)


@router.get(ASSET_PATH + "/{name}", include_in_schema=False)
async def asset(name: str) -> Response:
    if name not in ASSETS:
        return problem(404, f"没有这个文件：{name}", f"no such file: {name}")
    return Response(_asset(name), media_type=ASSETS[name], headers=CACHED)
