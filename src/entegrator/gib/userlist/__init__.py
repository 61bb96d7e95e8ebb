"""GİB's registered-user lists: records, streaming reader and writer, download.

Formats: UserList (``NewUserList.xsd``; the GB and PK zips), the legacy flat UserList rows, and
UserTempList (UserList guide v1.0 §3). See gib-protocol.md §5.
"""

from __future__ import annotations

from entegrator.gib.userlist.download import download_user_list, download_user_lists
from entegrator.gib.userlist.model import (
    DESPATCH_ADVICE,
    INVOICE,
    Alias,
    AliasRow,
    DocumentAliases,
    TempUser,
    User,
    UserListKind,
    UserRow,
)
from entegrator.gib.userlist.reader import (
    iter_temp_users,
    iter_user_rows,
    iter_user_rows_zip,
    iter_users,
    iter_users_zip,
    open_list_zip,
)
from entegrator.gib.userlist.writer import write_temp_users, write_users, write_users_zip

__all__ = [
    "DESPATCH_ADVICE",
    "INVOICE",
    "Alias",
    "AliasRow",
    "DocumentAliases",
    "TempUser",
    "User",
    "UserListKind",
    "UserRow",
    "download_user_list",
    "download_user_lists",
    "iter_temp_users",
    "iter_user_rows",
    "iter_user_rows_zip",
    "iter_users",
    "iter_users_zip",
    "open_list_zip",
    "write_temp_users",
    "write_users",
    "write_users_zip",
]
