"""Refusals people read: each carries an English msgid, translated where it is shown."""

from typing import ClassVar

from locales import N_


class DomainError(Exception):
    """A refusal the user should read: `msgid` is translated when shown, `params` fill it."""

    msgid: ClassVar[str]

    def __init__(self, **params: str | int) -> None:
        super().__init__(self.msgid.format(**params))  # English, for logs
        self.params = params


class OrganizationNotFound(DomainError):
    msgid = N_("There is no organization named {name}.")


class NoOrganization(DomainError):
    msgid = N_("No organization yet: create one with `dondoc org create NAME`.")


class OrganizationRequired(DomainError):
    msgid = N_("There are several organizations ({names}): choose one with --org.")


class OrganizationExists(DomainError):
    msgid = N_("The organization {name} already exists.")


class UnitNotFound(DomainError):
    msgid = N_("There is no unit named {name}.")


class UnitExists(DomainError):
    msgid = N_("The unit {name} already exists.")


class AliasTaken(DomainError):
    msgid = N_("The alias {alias} already names the unit {unit}.")


class OfficerExists(DomainError):
    msgid = N_("An officer named {name} already exists.")


class OfficerNotFound(DomainError):
    msgid = N_("There is no officer named {name}.")


class EmptyName(DomainError):
    msgid = N_("A name cannot be empty.")
