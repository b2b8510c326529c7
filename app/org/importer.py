"""Load an org file (docs/org-file.md) into the database: validate everything, then upsert.

Rows are matched by their stable keys (node code, staff userid, contact openid or userid,
group node + purpose), so importing the same file again changes nothing and a changed file
updates in place. Rows absent from the file are not deleted: residents bind themselves by QR
code and later tables point at nodes, so deleting on import would lose history. Staff are the
exception that matters for rights: staff of the file's district who are absent from it, or
marked `left: true`, are deactivated, and their pending approval cards handed over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.org.models import ChatGroup, Contact, Node, Staff
from app.org.schema import ContactSpec, NodeSpec, OrgSpec, parse_org
from app.org.yamlread import Issue

TABLES = ("nodes", "groups", "staff", "contacts")
BOUND_VIA = "org_file"
# Keeps IN (...) lists well below SQLite's and psycopg's parameter limits at province scale.
CHUNK = 500

ProgressFn = Callable[[int, int, str], None]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Departed:
    """A staff member this import deactivated (plain data: a dry run rolls the rows back)."""

    userid: str
    name: str
    role: str


@dataclass
class ImportReport:
    """Rows created, updated and unchanged per table, and the file's warnings."""

    counts: dict[str, Counts] = field(default_factory=lambda: {table: Counts() for table in TABLES})
    warnings: list[Issue] = field(default_factory=list)
    deactivated: list[Departed] = field(default_factory=list)  # left the file or marked `left: true`
    handed_over: list[Any] = field(default_factory=list)  # relay.turnover.HandOver, one per moved card

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


class OrgFileInvalid(Exception):
    """The file has errors; nothing was written. `errors` are in file order."""

    def __init__(self, errors: list[Issue]) -> None:
        super().__init__(f"{len(errors)} error(s) in the org file")
        self.errors = errors


def import_org(
    *, session: Session, source_text: str, filename: str, progress: ProgressFn | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Validate and upsert the whole file in `session` (flushed, not committed: the caller commits).

    Raises OrgFileInvalid, before touching any row, when the file or its fit with stored rows is wrong.
    `progress(done, total, node_code)` is called after each node is written.
    """
    spec, out = parse_org(source_text=source_text, filename=filename)
    if out.errors:
        raise OrgFileInvalid(out.errors)
    stored = _Stored.load(session=session, spec=spec)
    errors = stored.conflicts(spec=spec, filename=filename)
    if errors:
        raise OrgFileInvalid(errors)
    report = ImportReport(warnings=out.warnings)
    writer = _Writer(session, stored, report, now or utcnow())
    for done, node in enumerate(spec.nodes, start=1):
        writer.node(node)
        if progress is not None:
            progress(done, len(spec.nodes), node.code)
    writer.deactivate_absent(spec)
    session.flush()
    if report.deactivated:
        from relay.turnover import hand_over_cards
        from vetting.turnover import hand_over_review_cards

        userids = [s.userid for s in report.deactivated]
        report.handed_over = hand_over_cards(session=session, userids=userids, now=writer.now)
        report.handed_over += hand_over_review_cards(session=session, userids=userids, now=writer.now)
        session.flush()
    return report


def _subtree_ids(session: Session, root_id: int) -> set[int]:
    """Every stored node under (and including) one node: the file's district as the database knows it."""
    found, frontier = {root_id}, [root_id]
    while frontier:
        frontier = [n for n in _children_ids(session, frontier) if n not in found]
        found.update(frontier)
    return found


def _children_ids(session: Session, parent_ids: list[int]) -> list[int]:
    children: list[int] = []
    for start in range(0, len(parent_ids), CHUNK):
        children += session.scalars(select(Node.id).where(Node.parent_id.in_(parent_ids[start : start + CHUNK]))).all()
    return children


def _in_chunks(session: Session, column: Any, values: Iterable[Any]) -> list[Any]:
    wanted = sorted(set(values))
    rows: list[Any] = []
    for start in range(0, len(wanted), CHUNK):
        rows += session.scalars(select(column.class_).where(column.in_(wanted[start : start + CHUNK]))).all()
    return rows


@dataclass
class _Stored:
    """The stored rows the file can touch, loaded in a few queries instead of one per entry."""

    nodes: dict[str, Node]
    groups: dict[tuple[int, str], ChatGroup]
    staff: dict[str, Staff]
    by_openid: dict[str, Contact]
    by_userid: dict[str, Contact]

    @classmethod
    def load(cls, *, session: Session, spec: OrgSpec) -> _Stored:
        nodes = {n.code: n for n in _in_chunks(session, Node.code, (s.code for s in spec.nodes))}
        groups = _in_chunks(session, ChatGroup.node_id, (n.id for n in nodes.values()))
        staff = _in_chunks(session, Staff.userid, (s.userid for n in spec.nodes for s in n.staff))
        contacts = [c for n in spec.nodes for c in n.contacts]
        by_openid = _in_chunks(session, Contact.openid, (c.openid for c in contacts if c.openid))
        by_userid = _in_chunks(session, Contact.wecom_userid, (c.userid for c in contacts if c.userid))
        return cls(
            nodes=nodes,
            groups={(g.node_id, g.purpose): g for g in groups},
            staff={s.userid: s for s in staff},
            by_openid={c.openid: c for c in by_openid},
            by_userid={c.wecom_userid: c for c in by_userid},
        )

    def contact(self, spec: ContactSpec) -> Contact | None:
        return self.by_openid.get(spec.openid or "") or self.by_userid.get(spec.userid or "")

    def conflicts(self, *, spec: OrgSpec, filename: str) -> list[Issue]:
        """Entries the database cannot take: an openid and a userid already on two different contacts."""
        errors, claimed = [], {}
        for contact in (c for n in spec.nodes for c in n.contacts):
            one, other = self.by_openid.get(contact.openid or ""), self.by_userid.get(contact.userid or "")
            if one is not None and other is not None and one is not other:
                errors.append(
                    Issue(
                        filename,
                        contact.line,
                        contact.column,
                        f"openid '{contact.openid}' and userid '{contact.userid}' belong to two "
                        "different stored contacts; list them as two entries or merge them first",
                    )
                )
            row = one or other
            first = claimed.setdefault(id(row), contact.line) if row is not None else contact.line
            if first != contact.line:
                errors.append(
                    Issue(
                        filename,
                        contact.line,
                        contact.column,
                        f"this entry and the one on line {first} are the same stored contact "
                        "(one has its openid, the other its userid); merge them into one entry",
                    )
                )
        return errors


class _Writer:
    def __init__(self, session: Session, stored: _Stored, report: ImportReport, now: datetime) -> None:
        self.session, self.stored, self.report, self.now = session, stored, report, now

    def apply(self, table: str, row: Any, values: dict[str, Any]) -> None:
        """Set only what differs, so an unchanged row stays clean and counts as unchanged."""
        changed = {key: value for key, value in values.items() if getattr(row, key) != value}
        for key, value in changed.items():
            setattr(row, key, value)
        counts = self.report.counts[table]
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1

    def create(self, table: str, row: Any) -> None:
        self.session.add(row)
        self.report.counts[table].created += 1

    def node(self, spec: NodeSpec) -> None:
        parent = self.stored.nodes[spec.parent_code] if spec.parent_code else None
        values = {
            "kind": spec.kind,
            "name": spec.name,
            "overrides": spec.overrides,
            "parent_id": parent.id if parent else None,
        }
        row = self.stored.nodes.get(spec.code)
        if row is None:
            row = Node(code=spec.code, **values)
            self.create("nodes", row)
            self.session.flush([row])  # its id is the parent_id of the children and the groups' node_id
            self.stored.nodes[spec.code] = row
        else:
            self.apply("nodes", row, values)
        self.groups(spec, row)
        self.staff(spec, row)
        self.contacts(spec, row)

    def groups(self, spec: NodeSpec, node: Node) -> None:
        for group in spec.groups:
            values = {"name": group.name, "channel": group.channel, "address": group.address, "kind": group.kind,
                      "owner_userid": group.owner, "internal_pilot": group.internal_pilot}
            row = self.stored.groups.get((node.id, group.purpose))
            if row is None:
                self.create("groups", ChatGroup(node_id=node.id, purpose=group.purpose, **values))
            else:
                self.apply("groups", row, values)

    def staff(self, spec: NodeSpec, node: Node) -> None:
        for member in spec.staff:
            values = {"name": member.name, "role": member.role, "mobile": member.mobile, "node_id": node.id,
                      "active": not member.left}
            row = self.stored.staff.get(member.userid)
            if not member.left:
                values["left_at"] = None  # back in the file: rights restored
            elif row is None or row.active:
                values["left_at"] = self.now
            if row is None:
                self.create("staff", Staff(userid=member.userid, **values))
            else:
                was_active = row.active
                self.apply("staff", row, values)
                if was_active and member.left:
                    self.report.deactivated.append(Departed(row.userid, row.name, row.role))

    def deactivate_absent(self, spec: OrgSpec) -> None:
        """Staff of the file's district whom the file no longer lists lose every right."""
        district = self.stored.nodes.get(spec.nodes[0].code) if spec.nodes else None
        if district is None:
            return
        listed = {member.userid for node in spec.nodes for member in node.staff}
        nodes = sorted(_subtree_ids(self.session, district.id))
        for start in range(0, len(nodes), CHUNK):
            serving = self.session.scalars(
                select(Staff).where(Staff.node_id.in_(nodes[start : start + CHUNK]), Staff.active).order_by(Staff.userid)
            ).all()
            for row in (s for s in serving if s.userid not in listed):
                row.active, row.left_at = False, self.now
                self.report.counts["staff"].updated += 1
                self.report.deactivated.append(Departed(row.userid, row.name, row.role))

    def contacts(self, spec: NodeSpec, node: Node) -> None:
        for contact in spec.contacts:
            values = {"kind": contact.kind, "node_id": node.id, "name": contact.name, "phone": contact.phone}
            # Identities are only ever added: leaving one out of the file must not unbind a person.
            if contact.openid:
                values["openid"] = contact.openid
            if contact.userid:
                values["wecom_userid"] = contact.userid
            row = self.stored.contact(contact)
            if row is None:
                self.create("contacts", Contact(bound_via=BOUND_VIA, **values))
            else:
                self.apply("contacts", row, values)
