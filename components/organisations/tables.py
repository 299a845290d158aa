from enum import Enum

from piccolo.columns import BigInt, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from components.accounts.tables import User


class Role(str, Enum):
    owner = "owner"  # 회장
    treasurer = "treasurer"  # 총무
    member = "member"  # 회원
    auditor = "auditor"  # 감사


class Organisation(Table, tablename="organisation"):
    id = Serial(primary_key=True)
    name = Varchar(length=100)
    description = Text(default="")
    created_at = Timestamptz()
    created_by = BigInt(null=True, default=None)


class Membership(Table, tablename="membership"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    user = ForeignKey(User, null=False, index=True)
    role = Varchar(length=20, choices=Role)
    created_at = Timestamptz()


class Invitation(Table, tablename="invitation"):
    """A one-time link; the URL carries the token, the table only its SHA-256."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    role = Varchar(length=20, choices=Role)
    note = Varchar(length=200, default="")
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    accepted_at = Timestamptz(null=True, default=None)
    accepted_by = BigInt(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
