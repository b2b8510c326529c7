"""Who exists: corp members, parties, tags, robots, Official Account followers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Directory:
    # WeCom userids are case-insensitive; invalid ones come back lower-cased (§2.2).
    users: dict[str, str] = field(default_factory=dict)
    parties: dict[str, set[str]] = field(default_factory=dict)
    tags: dict[str, set[str]] = field(default_factory=dict)
    robots: dict[str, str] = field(default_factory=dict)
    followers: dict[str, bool] = field(default_factory=dict)

    def add_users(self, userids: list[str]) -> None:
        for userid in userids:
            self.users[userid.lower()] = userid

    def user(self, userid: str) -> str | None:
        """The registered spelling of `userid`, or None."""
        return self.users.get(userid.lower())

    def add_party(self, party_id: str, userids: list[str]) -> None:
        self.add_users(userids)
        self.parties[str(party_id)] = {u.lower() for u in userids}

    def add_tag(self, tag_id: str, userids: list[str]) -> None:
        self.add_users(userids)
        self.tags[str(tag_id)] = {u.lower() for u in userids}

    def add_followers(self, openids: list[str], *, followed: bool = True) -> None:
        for openid in openids:
            self.followers[openid] = followed

    def resolve(self, *, users: list[str], parties: list[str], tags: list[str]) -> tuple[list[str], dict]:
        """Deliverable userids (registered spelling, in order, no repeats) and the invalid ids by kind."""
        found: dict[str, str] = {}
        invalid: dict[str, list[str]] = {"user": [], "party": [], "tag": []}
        for userid in users:
            if userid == "@all":
                found.update(self.users)
            elif userid.lower() in self.users:
                found.setdefault(userid.lower(), self.users[userid.lower()])
            else:
                invalid["user"].append(userid.lower())
        for kind, ids, groups in (("party", parties, self.parties), ("tag", tags, self.tags)):
            for group_id in ids:
                if group_id not in groups:
                    invalid[kind].append(group_id)
                    continue
                for member in sorted(groups[group_id]):
                    found.setdefault(member, self.users[member])
        return list(found.values()), invalid
