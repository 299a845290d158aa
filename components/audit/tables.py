from piccolo.columns import JSONB, BigInt, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_entry"):
    """Append-only log of changes; each entry hashes the previous one so edits and deletions show."""

    id = Serial(primary_key=True)
    created_at = Timestamptz()
    actor_id = BigInt(null=True, default=None)  # user id; null for the system
    actor_label = Varchar(length=320, default="")
    organisation_id = BigInt(null=True, default=None, index=True)
    action = Varchar(length=80)
    object_type = Varchar(length=80)
    object_id = Varchar(length=80, default="")
    before = JSONB(null=True, default=None)
    after = JSONB(null=True, default=None)
    address = Varchar(length=64, default="")
    prev_hash = Varchar(length=64, default="")
    hash = Varchar(length=64, default="")
    note = Text(default="")
