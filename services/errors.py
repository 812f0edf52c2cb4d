"""Refusals people read: each carries an English msgid, translated where it is shown."""

from datetime import date
from typing import ClassVar

from locales import N_


class DomainError(Exception):
    """A refusal the user should read: `msgid` is translated when shown, `params` fill it (a
    day as a `date`, written as the reader's locale writes it)."""

    msgid: ClassVar[str]

    def __init__(self, **params: str | int | date) -> None:
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


class OfficerNeedsUnit(DomainError):
    msgid = N_("An officer needs a unit.")


class OfficerNotFound(DomainError):
    msgid = N_("There is no officer named {name}.")


class UnknownRole(DomainError):
    msgid = N_("Unknown role {role}: use officer, chair or admin.")


class EmptyName(DomainError):
    msgid = N_("A name cannot be empty.")


class TaskNotFound(DomainError):
    msgid = N_("I can't find task {ref}, or it is not assigned to you.")


class NotAllowed(DomainError):
    msgid = N_("Only the chair or the office can do that.")


class AdminOnly(DomainError):
    msgid = N_("Only the office (admin) can do that.")


class InvalidButton(DomainError):
    msgid = N_("This button is no longer valid. Send /viec to see your tasks.")


class InviteInvalid(DomainError):
    msgid = N_("This invitation is not valid. Please ask the office for a new one.")


class InviteUsed(DomainError):
    msgid = N_("This invitation has already been used. Please ask the office for a new one.")


class InviteNeedsPrivateChat(DomainError):
    msgid = N_(
        "Invitations are accepted in a private chat with me only, not in a group. "
        "Please open a chat with me and send the invitation there."
    )


class InviteExpired(DomainError):
    msgid = N_("This invitation has expired. Please ask the office for a new one.")


class AlreadyDone(DomainError):
    msgid = N_("Task {ref} is already done.")


class ShareAlreadyDone(AlreadyDone):
    msgid = N_("{unit}'s part of task {ref} is already done; the other units' is not.")


class TaskCancelled(DomainError):
    msgid = N_("Task {ref} is cancelled.")


class AlreadyCancelled(DomainError):
    msgid = N_("Task {ref} is already cancelled.")


class DoneNotCancellable(DomainError):
    msgid = N_("Task {ref} is done: reopen it before cancelling it.")


class NotCancelled(DomainError):
    msgid = N_("Task {ref} is not cancelled.")


class NotDone(DomainError):
    msgid = N_("Task {ref} is not done: there is nothing to reopen.")


class UnitNotLead(DomainError):
    msgid = N_("{unit} does not lead task {ref}.")


class NotBlocked(DomainError):
    msgid = N_("Task {ref} has no open blocker.")


class BadPercent(DomainError):
    msgid = N_("Progress is a number from 0 to 100.")


class DateInPast(DomainError):
    msgid = N_("The date {date} has already passed: please give a later one.")


class ExtensionNotLater(DomainError):
    msgid = N_("Task {ref} is already due on {date}: an extension needs a later date.")


class ChairSetsDeadlines(DomainError):
    msgid = N_(
        "You set deadlines yourself: write /doihan CODE and the new deadline, e.g. /doihan 3 30/6."
    )


class ExtensionPending(DomainError):
    msgid = N_("Task {ref} already has an extension request waiting for the chair.")


class ExtensionDecided(DomainError):
    msgid = N_("This extension request has already been answered.")


class EvidenceTooLarge(DomainError):
    msgid = N_("The file is too large ({size} MB); the limit is {limit} MB.")


class EmptyText(DomainError):
    msgid = N_("Please write a few words.")


class PlanNotFound(DomainError):
    msgid = N_("There is no plan {ref}: give its number or words of its title.")


class PlanAmbiguous(DomainError):
    msgid = N_("Several plans match {ref}: {plans}. Please give the plan's number.")


class NothingToUndo(DomainError):
    msgid = N_("There is nothing to undo: changes can be undone for 30 minutes.")


class ChangedSince(DomainError):
    msgid = N_("Task {ref} has changed since, so this can no longer be undone.")
