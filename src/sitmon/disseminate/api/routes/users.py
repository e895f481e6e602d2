"""``/users`` (admin): list, create, read and change users; every change is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ....security import users
from ..deps import AdminDep, DbDep, SettingsDep
from ..schemas.common import errors
from ..schemas.users import UserCreate, UserPublic, UserUpdate

router = APIRouter(prefix="/users", tags=["users"], responses=errors(401, 403))
Username = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=list[UserPublic])
def list_users(_: AdminDep, db: DbDep) -> list[UserPublic]:
    """用户列表 Every user."""
    return [UserPublic.model_validate(a, from_attributes=True) for a in users.list_users(db)]


@router.post("", response_model=UserPublic, status_code=201, responses=errors(409, 422))
def create_user(body: UserCreate, admin: AdminDep, db: DbDep, settings: SettingsDep) -> UserPublic:
    """新建用户 Create a user (filer: scope = USCC; reviewer: scope = province code)."""
    acc = users.add_user(
        db,
        settings,
        body.username,
        body.password,
        body.role,
        body.scope,
        body.display_name,
        actor=admin.username,
    )
    return UserPublic.model_validate(acc, from_attributes=True)


@router.get("/{username}", response_model=UserPublic, responses=errors(404, 422))
def read_user(username: Username, _: AdminDep, db: DbDep) -> UserPublic:
    """一个用户 One user."""
    return UserPublic.model_validate(users.get_user(db, username), from_attributes=True)


@router.patch("/{username}", response_model=UserPublic, responses=errors(404, 422))
def update_user(
    username: Username, body: UserUpdate, admin: AdminDep, db: DbDep, settings: SettingsDep
) -> UserPublic:
    """修改用户 Disable / enable a user or set a new password (ends their sessions)."""
    acc = users.update_user(
        db, settings, username, disabled=body.disabled, password=body.password, actor=admin.username
    )
    return UserPublic.model_validate(acc, from_attributes=True)
