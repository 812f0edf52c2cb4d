"""Why a plan file was refused: one exception family, each reason a translated sentence."""

from enum import StrEnum
from typing import ClassVar

from locales import N_


class PlanRefusal(Exception):
    """A refusal the user should read: `msgid` is translated when shown, `params` fill it."""

    msgid: ClassVar[str]

    def __init__(self, **params: str | int) -> None:
        super().__init__(self.msgid.format(**params))
        self.params = params

    def __reduce__(self) -> tuple[object, ...]:
        """Rebuilt from its parameters when it crosses from the reading process."""
        return (_rebuild, (type(self), self.params))


def _rebuild(kind: type[PlanRefusal], params: dict[str, str | int]) -> PlanRefusal:
    return kind(**params)


class FileProblem(StrEnum):
    """What is wrong with a refused plan file (for logs and tests)."""

    EMPTY = "empty"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    ZIP_BOMB = "zip_bomb"
    UNKNOWN_FORMAT = "unknown_format"
    LEGACY_FORMAT = "legacy_format"
    NO_TASK_TABLE = "no_task_table"
    OVER_BUDGET = "over_budget"
    OUT_OF_CALENDAR = "out_of_calendar"
    SCANNED = "scanned"
    LEGACY_ENCODING = "legacy_encoding"


class PlanFileError(PlanRefusal):
    """A plan file that cannot be read; `problem` says why and the message tells the user."""

    problem: ClassVar[FileProblem]


class EmptyPlanFile(PlanFileError):
    """The file holds nothing to read."""

    problem = FileProblem.EMPTY
    msgid = N_("The file {file_name} is empty. Please check it and send it again.")


class EmptyPastedText(PlanFileError):
    """A paste with no text in it."""

    problem = FileProblem.EMPTY
    msgid = N_("The text you pasted is empty. Please paste the plan again.")


class CorruptPlanFile(PlanFileError):
    """The file claims a format but its content is damaged."""

    problem = FileProblem.CORRUPT
    msgid = N_(
        "The file {file_name} is damaged and cannot be opened. Please save it again and resend it."
    )


class EncryptedPlanFile(PlanFileError):
    """The file is protected by a password."""

    problem = FileProblem.ENCRYPTED
    msgid = N_(
        "The file {file_name} is protected by a password. "
        "Please remove the password and send it again."
    )


class PlanFileTooLarge(PlanFileError):
    """The file is over the size limit."""

    problem = FileProblem.TOO_LARGE
    msgid = N_("The file {file_name} is larger than {limit_mb} MB. Please send a smaller file.")


class SuspiciousArchive(PlanFileError):
    """The .docx/.xlsx would unpack to far more than a plan needs (a zip bomb)."""

    problem = FileProblem.ZIP_BOMB
    msgid = N_(
        "The file {file_name} unpacks to far more data than a plan holds, so it was not opened."
    )


class TooManyPages(PlanFileError):
    """A PDF with far more pages than a plan."""

    problem = FileProblem.OVER_BUDGET
    msgid = N_(
        "The file {file_name} has {count} pages, more than the {limit} a plan is read up to. "
        "Please send the plan on its own."
    )


class TableTooLarge(PlanFileError):
    """Tables with far more rows, columns, cells or merged ranges than a plan's."""

    problem = FileProblem.OVER_BUDGET
    msgid = N_(
        "The file {file_name} holds a table far larger than a plan's, so it was not read. "
        "Please send the plan's own table."
    )


class TextTooLong(PlanFileError):
    """More text than any plan holds."""

    problem = FileProblem.OVER_BUDGET
    msgid = N_(
        "The file {file_name} holds more than {limit} characters of text, far more than a plan, "
        "so it was not read."
    )


class ReadingTooSlow(PlanFileError):
    """Reading the file did not end within its time."""

    problem = FileProblem.OVER_BUDGET
    msgid = N_(
        "Reading {file_name} took longer than {seconds} seconds, so it was stopped. "
        "Please send the plan as .docx or .xlsx, or with fewer pages."
    )


class ReadingTooLarge(PlanFileError):
    """Reading the file needed more memory than a plan may."""

    problem = FileProblem.OVER_BUDGET
    msgid = N_(
        "Reading {file_name} needed far more memory than a plan does, so it was stopped. "
        "Please send the plan as .docx or .xlsx, or with fewer pages."
    )


class ReaderStopped(PlanFileError):
    """The reading process ended without an answer (a reader fault, logged)."""

    problem = FileProblem.CORRUPT
    msgid = N_(
        "The file {file_name} could not be read to the end. "
        "Please save it again and resend it, or send it in another format."
    )


class DateBeyondCalendar(PlanFileError):
    """A draft confirmed with a date in a year the working-day calendar does not cover ("năm
    9999"): its preview flagged the row."""

    problem = FileProblem.OUT_OF_CALENDAR
    msgid = N_(
        "Nothing was stored: “{phrase}” falls in {year}, outside the years {first}–{last} that "
        "dondoc's calendar covers. Please correct the date in the plan and send it again."
    )


class UnknownPlanFormat(PlanFileError):
    """The content is none of the formats a plan can be read from."""

    problem = FileProblem.UNKNOWN_FORMAT
    msgid = N_(
        "I can't read the file {file_name}. "
        "Please send the plan as .docx, .xlsx, .pdf or .txt, or paste its text."
    )


class LegacyOfficeFormat(PlanFileError):
    """An old binary Word or Excel file (.doc, .xls)."""

    problem = FileProblem.LEGACY_FORMAT
    msgid = N_(
        "The file {file_name} is in the old Word/Excel format. "
        "Please save it as .docx or .xlsx and send it again."
    )


class ScannedPlanFile(PlanFileError):
    """A PDF with pages but no text on them: a scan, which would need OCR."""

    problem = FileProblem.SCANNED
    msgid = N_(
        "The file {file_name} holds only images, no text (a scan?). "
        "Please send the Word or Excel file, or a PDF saved from it."
    )


class LegacyVietnameseEncoding(PlanFileError):
    """The text is typed in an old Vietnamese font encoding (TCVN3, VNI), not Unicode."""

    problem = FileProblem.LEGACY_ENCODING
    msgid = N_(
        "The file {file_name} is typed in an old Vietnamese encoding (TCVN3 or VNI). "
        "Please convert it to Unicode (for example with Unikey) and send it again."
    )


class NoTaskTable(PlanFileError):
    """The file was read but holds no task table: raised by the importer when no row is found."""

    problem = FileProblem.NO_TASK_TABLE
    msgid = N_(
        "I found no task table in {file_name}. "
        "Please check that this is the plan with its table of tasks."
    )
