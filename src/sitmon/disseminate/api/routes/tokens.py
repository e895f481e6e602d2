"""``/tokens``: the caller's own API tokens — list, create (shown once), revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ....security import Role, tokens
from ..deps import DbDep, UserDep
from ..schemas.auth import TokenCreate, TokenCreatedPublic, TokenPublic
from ..schemas.common import errors

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=errors(401, 403))


@router.get("", response_model=list[TokenPublic])
def list_tokens(user: UserDep, db: DbDep) -> list[TokenPublic]:
    """我的 API 令牌 The caller's tokens (never the tokens themselves)."""
    return [
        TokenPublic.model_validate(t, from_attributes=True) for t in tokens.list_tokens(db, user.username)
    ]


@router.post("", response_model=TokenCreatedPublic, status_code=201, responses=errors(422))
def create_token(body: TokenCreate, user: UserDep, db: DbDep) -> TokenCreatedPublic:
    """创建令牌 A new token for the caller; the token is in this response only (store it now)."""
    new = tokens.create_token(db, user.username, body.name, body.expires_days, actor=user.username)
    return TokenCreatedPublic(**new.info.__dict__, token=new.token)


@router.delete("/{token_id}", response_model=TokenPublic, responses=errors(404, 422))
def revoke_token(token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], user: UserDep, db: DbDep) -> TokenPublic:
    """撤销令牌 Revoke one of the caller's tokens at once (an admin: anyone's)."""
    owner = None if user.role is Role.admin else user.user_id
    info = tokens.revoke_token(db, token_id, actor=user.username, owner_id=owner)
    return TokenPublic.model_validate(info, from_attributes=True)
