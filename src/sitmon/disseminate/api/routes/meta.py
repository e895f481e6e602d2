"""``GET /api/v1/``: what this server is and whether published data are open to anonymous readers."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from .... import __version__
from ..deps import SettingsDep

router = APIRouter(tags=["meta"])


class ServicePublic(BaseModel):
    """The service: name, version, API version, whether anonymous reading is on, default language."""

    name: str
    version: str
    api: str
    public_read: bool
    lang: str


@router.get("/", response_model=ServicePublic)
def service(settings: SettingsDep) -> ServicePublic:
    """服务信息 The service and its settings that clients need."""
    return ServicePublic(
        name="sitmon", version=__version__, api="v1", public_read=settings.public_read, lang=settings.lang
    )
