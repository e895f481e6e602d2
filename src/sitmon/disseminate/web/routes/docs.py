"""接口文档 The API documentation for people: the served OpenAPI document rendered by Swagger UI, whose
files are installed from npm with the other assets (never loaded from a CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..pages import render, viewer_of

router = APIRouter()


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The interactive API reference (``/api/v1/openapi.json``)."""
    viewer = viewer_of(request)
    return render(request, viewer, "api_docs.html")
