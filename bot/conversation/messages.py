"""Every sentence the conversation says or offers, as an English msgid (vi in the catalogue)."""

from locales import N_

PRIVATE_ONLY = N_(
    "I answer in a private chat only, so that nobody else reads your tasks. "
    "Please write to me directly."
)
STRANGER = N_(
    "Hello! I don't know this account yet. dondoc reminds the ward's officers of their tasks; "
    "please ask the office (Văn phòng) for an invitation link or code."
)
WELCOME = N_("Welcome, {name}! I will remind you of your tasks here. Send /help to see what I do.")
WELCOME_BACK = N_("Hello {name}, you are already connected. Send /viec to see your tasks.")
HELP_OFFICER = (
    N_("I remind you of your tasks; answer a reminder with a button or a few words:"),
    N_("“xong rồi” · “được 50%” · “vướng: chưa có kinh phí” · “gia hạn đến 20/7” · “nhắc sau”"),
    N_("/viec: your tasks · /quahan: overdue · /lang: language · /huy: cancel"),
)
HELP_MANAGER = (
    N_("/tonghop: summary · /quahan: overdue · /quy 2: a quarter · /vuongmac: blockers"),
    N_("/viec [name or unit]: open tasks · /nhac NAME: remind now · /mo CODE: reopen a task"),
    N_("Ask in words too: “phòng văn hóa còn gì?”, “quý 4 còn gì?”, “đã xong bao nhiêu?”"),
    N_("/baocao [plan] [quý 2]: the progress workbook, the report draft and the chart"),
)
HELP_ADMIN = (N_("Send a plan file to import it · /canbo · /donvi · /moi NAME: invite"),)
NAME_THE_TASK = N_("Which task? Reply to its reminder, or name it, e.g. “việc 2.1 xong rồi”.")
NO_TASK = N_("You have no open task right now. 👍")
ASK_WHICH = N_("Which task do you mean? Reply with its code (e.g. “{example}”) or press it:")
CHOICE_LINE = N_("• {code}: {title}")
CHOICE_LABEL = N_("Task {code}")
WHICH_AGAIN = N_("Please reply with the code of one of these tasks: {codes}.")
ASK_PERCENT = N_("How far along is task {code} “{title}”? Reply with a percent, e.g. 60%.")
ASK_PERCENT_AGAIN = N_("Please reply with a number from 0 to 100, e.g. 60%.")
ASK_REASON = N_("What is blocking task {code} “{title}”? Please write it in a few words.")
ASK_DATE = N_(
    "Until when should task {code} “{title}” be extended, and why? "
    "E.g. “20/7, chờ kinh phí” or “thứ sáu tuần sau”."
)
ASK_DATE_AGAIN = N_("I could not read a date. Please write one, e.g. 20/7 or “thứ sáu tuần sau”.")
ASK_WHEN = N_("When should I remind you about task {code} “{title}” again?")
ASK_WHEN_AGAIN = N_("When? E.g. “2 tiếng nữa”, “chiều nay”, “mai”, “thứ hai”.")
ASK_ACTION = N_("What would you like to do with task {code} “{title}”?")
ASK_DONE_OR_BLOCKED = N_("Is task {code} “{title}” done, or is something blocking it?")
NOT_UNDERSTOOD = N_(
    "Sorry, I did not understand. Answer a reminder with a button, or write e.g. “xong rồi”, "
    "“được 50%”, “vướng: …”, “gia hạn đến 20/7”. /help shows more."
)
DONE_OK = N_("✅ Task {code} “{title}” is recorded as done. Thank you!")
DONE_PART_OK = N_(
    "✅ Your unit's part of task {code} “{title}” is recorded as done: {done}/{total} units "
    "done. Thank you!"
)
UNDONE_OK = N_("↩️ Undone: task {code} “{title}” is back as it was.")
UNDO_WHICH = N_("Which task's change should I undo? Press it:")
UNDO_TASK = N_("↩️ Task {code}")
REOPENED_OK = N_("🔓 Task {code} “{title}” is open again; its reminders resume.")
REOPENED_AT = N_(
    "🔓 Task {code} “{title}” is open again, at {progress}% as before it was closed; "
    "its reminders resume."
)
REOPEN_USAGE = N_("Please give the task's code, e.g. /mo 2.1.")
ALREADY_DONE_TODAY = N_(
    "Task {code} was already recorded as done at {time} today; nothing changed."
)
ALREADY_DONE_ON = N_(
    "Task {code} was already recorded as done on {date} at {time}; nothing changed."
)
STATUS_DONE = N_("✅ Task {code} “{title}”: done on {date} at {time} ({officer}).")
STATUS_BLOCKED = N_("🚧 Task {code} “{title}”: blocked: {reason}.")
STATUS_LATE = N_(
    "⚠️ Task {code} “{title}”: not done, {progress}% so far, {days} working days late (due {due})."
)
STATUS_OPEN = N_("• Task {code} “{title}”: not done yet, {progress}% so far, due {due}.")
STATUS_UNITS = N_("Lead: {units}.")
STATUS_REQUIREMENT = N_("🎯 Requirement: {text}")
STATUS_NOTE = N_("📝 Note: {text}")
STATUS_SOURCE = N_(
    "📄 In the plan: lead “{lead}”, coordinating “{coordinators}”, deadline “{deadline}”."
)
STATUS_SHARES = N_("{done}/{total} units done; still open: {units}.")
STATUS_UNIT_DONE = N_("  ✅ {unit}: done")
STATUS_UNIT_OPEN = N_("  • {unit}: not done, {progress}%")
STATUS_PLAN = N_("Plan: {plan}.")
COMPLETION = N_("📊 {done} of {total} tasks done ({percent}%).")
FILTERED_BY = N_("Filtered by: {filters}.")
PROGRESS_OK = N_("📊 Task {code} “{title}”: {percent}% recorded.")
BLOCKER_OK = N_("🚧 Recorded for task {code}: {reason}. The chair and the office have been told.")
RESOLVED_OK = N_("✅ The blocker on task {code} “{title}” is lifted.")
EXTENSION_OK = N_("📅 Your request to move task {code} to {date} was sent to the chair.")
SNOOZE_OK = N_("⏰ I will remind you about task {code} again on {when}.")
EVIDENCE_OK = N_("📎 File {file_name} kept as evidence for task {code}.")
GRANTED_OK = N_("✅ Granted: task {code} is now due {date}. {officer} has been told.")
DENIED_OK = N_("❌ Denied: task {code} keeps its date. {officer} has been told.")
CANCELLED = N_("Cancelled.")
LANGUAGE_SET = N_("From now on I will write to you in English.")
LANGUAGE_SET_VI = N_("From now on I will write to you in Vietnamese.")
REMINDED = N_("🔔 {count} reminders are on their way to {name}.")
INVITE_LINES = (
    N_("Invitation for {name}, valid until {date}:"),
    N_("Telegram: {link}"),
    N_("Or send this code to the bot: {code}"),
)
NEED_NAME = N_("Please add a name, e.g. {example}.")
QUARTER_USAGE = N_("Please give a quarter from 1 to 4, e.g. /quy 2.")
QUARTER_OF_YEAR = N_("Quarter {quarter}/{year}")  # its number in Roman numerals, as plans do
IMPORT_HOWTO = N_("Send me the plan file (.docx, .xlsx, .pdf or .txt) and I will show a preview.")
EVIDENCE_WHICH = N_(
    "Which task is this file for? Reply with its code (e.g. “{example}”) or press it:"
)
TITLE_TASKS = N_("📋 Open tasks ({count}):")
TITLE_FOUND = N_("📋 Open tasks, {filters} ({count}):")
TITLE_FOUND_LATE = N_("⚠️ Overdue, {filters} ({count}):")
TITLE_OVERDUE = N_("⚠️ Overdue ({count}):")
ALSO_OVERDUE = N_("⚠️ Besides, {count} overdue (not listed above): /quahan shows them.")
TITLE_QUARTER = N_("📅 Quarter {quarter}/{year} ({count} tasks):")
TITLE_BLOCKERS = N_("🚧 Open blockers ({count}):")
TITLE_SUMMARY = N_("📊 Summary:")
TITLE_OFFICERS = N_("👥 Officers ({count}):")
TITLE_UNITS = N_("🏢 Units ({count}):")
EMPTY_LIST = N_("Nothing here. 👍")
RESOLVE_LABEL = N_("✅ Lift {code}")
SNOOZE_CHOICES = (
    (N_("In 2 hours"), "hours"),
    (N_("Tomorrow"), "tomorrow"),
    (N_("Next Monday"), "monday"),
)
