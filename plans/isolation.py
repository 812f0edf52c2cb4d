"""Reading a plan file in a child process, under a memory cap and a wall-clock deadline.

A reader bug or a hostile file can then cost one child, never the server: the child's address
space (RLIMIT_AS) and processor time (RLIMIT_CPU) are capped, it is killed at the wall-clock
deadline, and each ends in a refusal like any other (`ReadingTooLarge`, `ReadingTooSlow`).
Children come from a fork server that has already imported the readers, so a read starts in
milliseconds and inherits no thread of the caller.
The file travels as bytes: nothing is written to disk.
"""

import logging
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final

from plans.draft import ImportDraft
from plans.readers import budget
from plans.readers.errors import (
    PlanFileTooLarge,
    PlanRefusal,
    ReaderStopped,
    ReadingTooLarge,
    ReadingTooSlow,
)
from plans.units import KnownUnit

logger = logging.getLogger(__name__)
# A library's logger: records reach the handlers the application configures, and a command that
# configures none (`dondoc import`) prints only its one line, not Python's last-resort output.
logger.addHandler(logging.NullHandler())

_PRELOAD: Final = [
    "plans.importer",
    "plans.readers.pdf",
    "plans.readers.pdf_streams",
    "plans.readers.word",
    "plans.readers.excel",
    "pdfplumber",
    "docx",
    "openpyxl",
]
_OUT_OF_MEMORY: Final = 3
"""The child's exit code when even the refusal could not be sent for lack of memory."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A draft read in a child, and what reading it cost."""

    draft: ImportDraft
    seconds: float
    """Wall-clock time, the child's start included."""
    cpu_seconds: float
    """The child's processor time (what the file cost, whatever else the machine does)."""
    peak_bytes: int
    """The child's peak resident memory."""


def draft_of_file(path: Path, *, known_units: Sequence[KnownUnit] = ()) -> ImportDraft:
    """`draft_in_child` for the file at `path` (refused unread when it is over the size limit)."""
    if path.stat().st_size > budget.MAX_FILE_BYTES:
        raise PlanFileTooLarge(
            file_name=path.name, limit_mb=budget.MAX_FILE_BYTES // (1024 * 1024)
        )
    return draft_in_child(path.read_bytes(), file_name=path.name, known_units=known_units)


def draft_in_child(
    content: bytes,
    *,
    file_name: str,
    known_units: Sequence[KnownUnit] = (),
    seconds: float = budget.READ_SECONDS,
    cpu_seconds: int = budget.READ_CPU_SECONDS,
    memory_bytes: int = budget.READ_MEMORY_BYTES,
) -> ImportDraft:
    """The draft of a plan file's bytes, read in a capped child; refusals as `PlanFileError`."""
    return read_in_child(
        content,
        file_name=file_name,
        known_units=known_units,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        memory_bytes=memory_bytes,
    ).draft


def read_in_child(
    content: bytes,
    *,
    file_name: str,
    known_units: Sequence[KnownUnit] = (),
    seconds: float = budget.READ_SECONDS,
    cpu_seconds: int = budget.READ_CPU_SECONDS,
    memory_bytes: int = budget.READ_MEMORY_BYTES,
) -> Reading:
    """`draft_in_child`, with the time and memory the reading took."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_read,
        args=(sender, content, file_name, tuple(known_units), cpu_seconds, memory_bytes),
        name="dondoc-reader",
        daemon=True,
    )
    started = time.monotonic()
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            logger.warning("reading a plan file stopped at its deadline (%.0fs)", seconds)
            raise ReadingTooSlow(file_name=file_name, seconds=round(seconds))
        try:
            outcome, value, peak, cpu, failure = receiver.recv()
        except (EOFError, OSError):
            child.join(1)
            logger.warning("the plan reader ended without an answer (exit %s)", child.exitcode)
            if child.exitcode == _OUT_OF_MEMORY:
                raise ReadingTooLarge(file_name=file_name) from None
            if child.exitcode == -signal.SIGXCPU:
                raise ReadingTooSlow(
                    file_name=file_name, seconds=budget.READ_CPU_SECONDS
                ) from None
            raise ReaderStopped(file_name=file_name) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
        child.close()
    elapsed = time.monotonic() - started
    logger.info("plan file read in %.2fs (%.2fs of CPU), peak %d KB", elapsed, cpu, peak // 1024)
    if failure:
        logger.error("the plan reader failed on a file:\n%s", failure)
    if outcome == "refused":
        assert isinstance(value, PlanRefusal)
        raise value
    assert isinstance(value, ImportDraft)
    return Reading(draft=value, seconds=elapsed, cpu_seconds=cpu, peak_bytes=peak)


def _read(
    sender: Connection,
    content: bytes,
    file_name: str,
    known_units: tuple[KnownUnit, ...],
    cpu_seconds: int,
    memory_bytes: int,
) -> None:
    """The child: cap the address space, read, send the draft or the refusal back."""
    from plans.importer import draft_from_document
    from plans.readers import read_content

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))  # SIGXCPU ends it
    failure = ""
    try:
        try:
            draft = draft_from_document(
                read_content(content, file_name=file_name), known_units=known_units
            )
            message: tuple[str, object] = ("draft", draft)
        except PlanRefusal as refusal:
            message = ("refused", refusal)
        except MemoryError:
            message = ("refused", ReadingTooLarge(file_name=file_name))
        except Exception:  # a reader bug: one line for the user, the traceback for the log
            failure = traceback.format_exc()
            message = ("refused", ReaderStopped(file_name=file_name))
        del content
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        sender.send((*message, usage.ru_maxrss * 1024, cpu, failure))
    except MemoryError:
        os._exit(_OUT_OF_MEMORY)
    finally:
        sender.close()
