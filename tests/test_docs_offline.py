"""Regression: /docs was blank without internet, its Swagger UI loaded from a CDN. The pages
name no other host, and every script, style and icon they name is served by the app.
(tests/test_browser.py draws them in Chromium with the network cut off.)"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from plankg.service import create_app

ABSOLUTE = re.compile(r"(?:https?:)?//[^\s\"'<>]+", re.IGNORECASE)
ASSET = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']|url:\s*'([^']+)'""")


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(None))  # the pages and the schema need no store


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_name_no_other_host(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert ABSOLUTE.findall(response.text) == []
    assets = [a or b for a, b in ASSET.findall(response.text)]
    assert "/openapi.json" in assets and len(assets) >= 3
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert served.content


def test_docs_assets_are_only_the_named_files(client):
    assert client.get("/docs/assets/swagger-ui.css").headers["content-type"].startswith(
        "text/css")
    for name in ("index.html", "..%2F__init__.py", "core.py"):
        assert client.get(f"/docs/assets/{name}").status_code == 404
