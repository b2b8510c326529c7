"""The org file's rules (docs/org-file.md): YAML text in, a validated OrgSpec and every issue out.

Pure: no database here. Checks that need stored rows live in app/org/importer.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yaml.nodes import Node

from app.org.models import GROUP_KINDS, GROUP_PURPOSES, INTERNAL_CHANNELS, STAFF_ROLES
from app.org.yamlread import Collector, Fields, Issue, choices, compose

FORMAT_VERSION = 1
CHILDREN = {"district": ("townships", "township"), "township": ("villages", "village")}
# Which roles serve at which tier (DESIGN.md, "People"): the relay looks stewards up on townships
# and the 1群3员 on villages, so a steward filed under a village would never be asked to approve.
ROLES_BY_KIND = {
    "district": ("district_officer", "trainer"),
    "township": ("township_steward", "backup_steward", "trainer"),
    "village": ("village_head", "hr_specialist", "volunteer"),
}
# Missing these is allowed (posts get vacated), but the bureau's promises need them: warn.
EXPECTED_ROLES = {
    "district": ("district_officer",),
    "township": ("township_steward",),
    "village": ("village_head", "hr_specialist", "volunteer"),
}
EXPECTED_GROUP = {"district": "employers", "township": "stewards", "village": "residents"}
CONTACT_LISTS = {"residents": "resident", "employers": "employer"}
DEFAULT_GROUP_NAMES = {
    "employers": "企业招才引智群",
    "stewards": "充分就业社区建设群",
    "residents": "群众求职群",
}

CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# WeCom UserID: 1-64 bytes of digits, letters and _-@. starting with a digit or letter.
USERID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
# Names the software uses for itself in decisions and the audit log; a person must not have one.
RESERVED_USERIDS = ("admin", "system", "timeout")
OPENID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
ADDRESS = {
    "appchat": (re.compile(r"^[0-9A-Za-z]{1,32}$"), "an appchat chatid: at most 32 letters and digits"),
    "robot": (re.compile(r"^[0-9A-Za-z-]{8,64}$"), "a robot webhook key (the part after 'key=')"),
    "customer_group": (re.compile(r"^[0-9A-Za-z_-]{1,64}$"), "a customer group chat_id (like 'wr...')"),
}
GROUP_KEYS = ("purpose", "kind", "name", "channel", "address", "chat_id", "owner", "relay_by", "internal_pilot")
KEYS_BY_KIND = {
    "internal": ("purpose", "kind", "name", "channel", "address", "internal_pilot"),
    "customer": ("purpose", "kind", "name", "chat_id", "owner"),
    "manual": ("purpose", "kind", "name", "relay_by"),
}
# Residents and employers use personal WeChat: only customer or manual groups reach them (issue 9).
OUTSIDE_PURPOSES = ("residents", "employers")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{9,11}$")


@dataclass
class GroupSpec:
    purpose: str
    channel: str  # appchat | robot (internal), customer_group (customer), manual (manual)
    address: str  # chatid, robot key, customer group chat_id; "manual:<node code>" for manual groups
    name: str
    kind: str = "internal"
    # customer: the group's owner (the sender of add_msg_template); manual: who relays by hand.
    owner: str | None = None
    internal_pilot: bool = False


@dataclass
class StaffSpec:
    userid: str
    name: str
    role: str
    mobile: str | None
    left: bool = False  # `left: true`: deactivated at import, kept for the records


@dataclass
class ContactSpec:
    kind: str
    openid: str | None
    userid: str | None
    name: str | None
    phone: str | None
    line: int
    column: int


@dataclass
class NodeSpec:
    code: str
    kind: str
    name: str
    parent_code: str | None
    overrides: dict
    groups: list[GroupSpec] = field(default_factory=list)
    staff: list[StaffSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)


@dataclass
class OrgSpec:
    """Nodes in file order, every parent before its children."""

    nodes: list[NodeSpec] = field(default_factory=list)


def parse_org(*, source_text: str, filename: str) -> tuple[OrgSpec, Collector]:
    """The spec and the collected issues; the spec is only meaningful when there are no errors."""
    out = Collector(filename)
    spec = OrgSpec()
    root = compose(source_text, out)
    if root is None:
        if not out.errors:
            out.errors.append(_empty_file(filename))
        return spec, out
    top = Fields(root, out, what="the file", allowed=("version", "district"))
    version = top.text("version")
    if version is not None and version != str(FORMAT_VERSION):
        out.error(top.get("version"), f"version '{version}' is not supported; this JobMatrix reads version 1")
    district = top.get("district")
    if district is None:
        if top.ok:
            out.error(root, "the file has no 'district:' (the root of the org tree)")
        return spec, out
    walker = _Walker(out, spec)
    walker.node(district, kind="district", parent_code=None)
    walker.check_owners()
    out.sort()
    return spec, out


def _empty_file(filename: str) -> Issue:
    return Issue(filename, 1, 1, "the file is empty; it must start with 'district:' (see docs/org-file.md)")


def normalize_phone(raw: str) -> str:
    """Digits only, without the +86 / 0086 country prefix people paste from their phones."""
    digits = re.sub(r"[\s()-]", "", raw)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


class _Walker:
    """Walks the tree once, checking each entry and the file-wide uniqueness of identifiers."""

    def __init__(self, out: Collector, spec: OrgSpec) -> None:
        self.out, self.spec = out, spec
        self.seen: dict[tuple[str, str], int] = {}
        # Group owners / relayers, checked against every staff userid once the whole file is read.
        self.owners: list[tuple[Node, str, str]] = []
        self.staff_userids: set[str] = set()

    def unique(self, what: str, value: str, node: Node, complaint: str = "") -> bool:
        first = self.seen.get((what, value))
        if first is None:
            self.seen[(what, value)] = node.start_mark.line + 1
            return True
        complaint = complaint or f"{what} '{value}' is already used on line {{first}}; each must be unique"
        self.out.error(node, complaint.replace("{first}", str(first)))
        return False

    def node(self, yaml_node: Node, *, kind: str, parent_code: str | None) -> None:
        child_key = CHILDREN.get(kind, (None, None))[0]
        keys = (
            "code",
            "name",
            "overrides",
            "groups",
            "staff",
            *CONTACT_LISTS,
            *([child_key] if child_key else []),
        )
        fields = Fields(yaml_node, self.out, what=f"a {kind}", allowed=keys)
        code = self.code(fields)
        name = fields.text("name", required=True, max_len=100)
        node = NodeSpec(code or "", kind, name or "", parent_code, fields.json_mapping("overrides"))
        self.spec.nodes.append(node)
        node.groups = [g for g in (self.group(item, node) for item in fields.items("groups")) if g]
        node.staff = [s for s in (self.staff(item, kind) for item in fields.items("staff")) if s]
        for key, contact_kind in CONTACT_LISTS.items():
            node.contacts += [c for c in (self.contact(i, contact_kind) for i in fields.items(key)) if c]
        if fields.ok:
            self.expect_posts(fields, node)
        if child_key:
            child_kind = CHILDREN[kind][1]
            for item in fields.items(child_key):
                self.node(item, kind=child_kind, parent_code=code)

    def code(self, fields: Fields) -> str | None:
        code = fields.text("code", required=True, max_len=64)
        if code is None:
            return None
        where = fields.get("code")
        if not CODE.match(code):
            self.out.error(
                where, f"code '{code}' must be lowercase letters and digits joined by '-' (like 'zm-yx-01')"
            )
            return None
        return code if self.unique("node code", code, where) else None

    def expect_posts(self, fields: Fields, node: NodeSpec) -> None:
        missing = [r for r in EXPECTED_ROLES[node.kind] if r not in {s.role for s in node.staff if not s.left}]
        if missing:
            self.out.warn(fields.node, f"{node.kind} '{node.code}' has no {', '.join(missing)}")
        if EXPECTED_GROUP[node.kind] not in {g.purpose for g in node.groups}:
            self.out.warn(fields.node, f"{node.kind} '{node.code}' has no {EXPECTED_GROUP[node.kind]} group")

    def choice(self, fields: Fields, key: str, allowed: tuple[str, ...]) -> str | None:
        value = fields.text(key, required=True, max_len=64)
        if value is not None and value not in allowed:
            self.out.error(fields.get(key), f"{key} '{value}' is not one of: {choices(value, allowed)}")
            return None
        return value

    def group(self, item: Node, node: NodeSpec) -> GroupSpec | None:
        fields = Fields(item, self.out, what="a group", allowed=GROUP_KEYS)
        purpose = self.choice(fields, "purpose", GROUP_PURPOSES)
        name = fields.text("name", max_len=100) or f"{node.name}{DEFAULT_GROUP_NAMES.get(purpose or '', '')}"
        kind = self.group_kind(fields)
        where = fields.get("purpose")
        complaint = f"'{node.code}' already has a group for {purpose} (line {{first}}); one group per purpose"
        if purpose and not self.unique(f"group of {node.code}", purpose, where, complaint):
            return None
        if kind is None or purpose is None or not self.keys_fit_kind(fields, kind, name):
            return None
        if kind == "internal":
            return self.internal_group(fields, node, purpose, name)
        if kind == "customer":
            chat_id = fields.text("chat_id", max_len=64)
            owner = self.owner(fields, "owner", name)
            if chat_id is None:
                self.out.error(item, f"customer group '{name}' has no 'chat_id' (the customer group's id, 'wr…')")
            if not (chat_id and owner and self.address(fields, "customer_group", chat_id, key="chat_id")):
                return None
            return GroupSpec(purpose, "customer_group", chat_id, name, kind, owner)
        relayer = self.owner(fields, "relay_by", name)
        return GroupSpec(purpose, "manual", f"manual:{node.code}", name, kind, relayer) if relayer else None

    def group_kind(self, fields: Fields) -> str | None:
        """`kind`, or the kind its `channel` implies in files written before kinds existed."""
        if fields.get("kind") is not None:
            return self.choice(fields, "kind", GROUP_KINDS)
        channel = fields.text("channel")
        if channel in INTERNAL_CHANNELS:
            return "internal"
        if channel == "customer_group":
            return "customer"
        if channel is None and fields.ok:
            self.out.error(fields.node, f"a group has no 'kind' (one of: {', '.join(GROUP_KINDS)})")
        elif channel is not None:
            self.out.error(fields.get("channel"), f"channel '{channel}' is not one of: "
                           f"{choices(channel, INTERNAL_CHANNELS)}")
        return None

    def keys_fit_kind(self, fields: Fields, kind: str, name: str) -> bool:
        """Keys of another kind are an error: a chat_id on an internal group would be ignored silently."""
        wrong = [key for key in GROUP_KEYS if key in fields.values and key not in KEYS_BY_KIND[kind]]
        for key in wrong:
            self.out.error(fields.get(key), f"'{key}' does not apply to {kind} group '{name}'; a {kind} group "
                           f"takes: {', '.join(KEYS_BY_KIND[kind])}")
        return not wrong

    def internal_group(self, fields: Fields, node: NodeSpec, purpose: str, name: str) -> GroupSpec | None:
        channel = fields.text("channel")
        address = fields.text("address")
        if channel is None or channel not in INTERNAL_CHANNELS:
            where = fields.get("channel") or fields.node
            self.out.error(where, f"internal group '{name}' needs 'channel': appchat or robot")
            return None
        if address is None:
            self.out.error(fields.node, f"internal group '{name}' has no 'address' (the chatid or robot key)")
            return None
        pilot = self.flag(fields, "internal_pilot")
        if purpose in OUTSIDE_PURPOSES and not pilot:
            self.out.error(
                fields.get("channel") or fields.node,
                f"group '{name}' holds {purpose}, who use personal WeChat: WeCom apps and robots cannot post "
                f"into their groups ({channel} reaches internal groups only). Make it a 'customer' group "
                "(chat_id + owner) or a 'manual' group (relay_by), or mark it 'internal_pilot: true' if "
                "every member really is staff",
            )
            return None
        if not self.address(fields, channel, address):
            return None
        return GroupSpec(purpose, channel, address, name, "internal", None, bool(pilot))

    def flag(self, fields: Fields, key: str) -> bool | None:
        value = fields.text(key)
        if value is None:
            return None
        if value.lower() not in ("true", "false"):
            self.out.error(fields.get(key), f"'{key}' must be true or false, got '{value}'")
            return None
        return value.lower() == "true"

    def owner(self, fields: Fields, key: str, name: str) -> str | None:
        value = fields.text(key, max_len=64)
        if value is None:
            what = "owner (the staff userid who confirms its group sends)" if key == "owner" else (
                "relay_by (the staff userid who forwards posts into it by hand)")
            self.out.error(fields.node, f"group '{name}' has no '{key}': its {what}")
            return None
        self.owners.append((fields.get(key), value, name))  # type: ignore[arg-type]
        return value

    def check_owners(self) -> None:
        for where, userid, name in self.owners:
            if userid not in self.staff_userids:
                self.out.error(where, f"'{userid}' of group '{name}' is not a staff userid in this file; "
                               "a group's owner or relayer must be listed under some node's staff")

    def address(self, fields: Fields, channel: str, address: str, key: str = "address") -> bool:
        pattern, explain = ADDRESS[channel]
        where = fields.get(key)
        if not pattern.match(address):
            hint = " (paste only the key, not the whole webhook URL)" if "key=" in address else ""
            self.out.error(where, f"{key} '{address}' is not {explain}{hint}")
            return False
        return self.unique(f"{channel} address", address, where)

    def staff(self, item: Node, kind: str) -> StaffSpec | None:
        fields = Fields(item, self.out, what="a staff entry", allowed=("userid", "name", "role", "mobile", "left"))
        userid = self.userid(fields, "userid", required=True, what="staff userid")
        name = fields.text("name", required=True, max_len=50)
        role = self.choice(fields, "role", STAFF_ROLES)
        if role and role not in ROLES_BY_KIND[kind]:
            self.out.error(
                fields.get("role"),
                f"role '{role}' does not serve at a {kind}; a {kind} takes: {', '.join(ROLES_BY_KIND[kind])}",
            )
            role = None
        mobile = self.phone(fields, "mobile", (MOBILE,), "an 11-digit mobile number starting with 1")
        if userid:
            self.staff_userids.add(userid)
        left = fields.flag("left")
        if not (userid and name and role) or mobile is False:
            return None
        return StaffSpec(userid, name, role, mobile or None, left)

    def userid(self, fields: Fields, key: str, *, required: bool, what: str) -> str | None:
        value = fields.text(key, required=required, max_len=64)
        if value is None:
            return None
        if not USERID.match(value):
            self.out.error(
                fields.get(key),
                f"{key} '{value}' must be letters, digits and _-@. starting with a "
                "letter or digit (a WeCom UserID)",
            )
            return None
        if value.lower() in RESERVED_USERIDS:
            self.out.error(fields.get(key), f"{key} '{value}' is reserved ({', '.join(RESERVED_USERIDS)} name the "
                           "software itself); give this person their WeCom UserID")
            return None
        return value if self.unique(what, value, fields.get(key)) else None

    def phone(
        self, fields: Fields, key: str, patterns: tuple[re.Pattern, ...], explain: str
    ) -> str | None | bool:
        """The normalized number, None when absent, False when invalid (already reported)."""
        raw = fields.text(key, max_len=32)
        if raw is None:
            return None
        digits = normalize_phone(raw)
        if not any(p.match(digits) for p in patterns):
            self.out.error(fields.get(key), f"{key} '{raw}' is not {explain}")
            return False
        return digits

    def contact(self, item: Node, kind: str) -> ContactSpec | None:
        fields = Fields(
            item,
            self.out,
            what=f"a{'n' if kind == 'employer' else ''} {kind} contact",
            allowed=("openid", "userid", "name", "phone"),
        )
        openid = fields.text("openid", max_len=64)
        if openid is not None and not OPENID.match(openid):
            self.out.error(
                fields.get("openid"), f"openid '{openid}' must be 6-64 letters, digits, '_' or '-'"
            )
            return None
        if openid is not None and not self.unique("contact openid", openid, fields.get("openid")):
            return None
        userid = self.userid(fields, "userid", required=False, what="contact userid")
        if fields.ok and not openid and not fields.text("userid"):
            self.out.error(
                item, f"a {kind} contact needs an 'openid' (Official Account) or a 'userid' (WeCom)"
            )
        name = fields.text("name", max_len=50)
        phone = self.phone(
            fields, "phone", (MOBILE, LANDLINE), "a mobile number or a landline with area code"
        )
        if not (openid or userid) or phone is False:
            return None
        mark = item.start_mark
        return ContactSpec(kind, openid, userid, name, phone or None, mark.line + 1, mark.column + 1)
