"""The ERP's people as the router needs them: internal users (active or archived) and group membership.

The daemon reads it (``res.users`` and the groups the chains name) and hands it to the policies; the policies
never read. Without a directory (``None``) every user id is taken as valid, as before routing knew better — the
plans of tests and of ``explain`` on a database it could not read stay the same.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Person(BaseModel):
    id: int
    login: str = ""
    name: str = ""
    active: bool = True
    #: Odoo language code, e.g. "en_US", "zh_CN"; "" when unknown.
    lang: str = ""


class Directory(BaseModel):
    #: Internal users by id, archived ones included (marked inactive).
    people: dict[int, Person] = Field(default_factory=dict)
    #: Group xml id → ids of its members. A group missing here was not found in the database.
    groups: dict[str, list[int]] = Field(default_factory=dict)

    def usable(self, user_id: int) -> bool:
        person = self.people.get(user_id)
        return person is not None and person.active

    def by_login(self, login: str) -> int | None:
        for person in self.people.values():
            if person.login == login:
                return person.id
        return None

    def label(self, user_id: int) -> str:
        person = self.people.get(user_id)
        if person is None:
            return f"user #{user_id}"
        return f"{person.name} ({person.login})" if person.login else person.name or f"user #{user_id}"
