"""The house rules a reader relies on, checked over the repository's own Python files: modules fit
in a head (at most 500 lines, migrations aside), the time zone is named once, as the
setting's default, and each thing is done one way."""

import ast
import re
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LONGEST = 500
ZONE = "Asia/Ho_Chi_Minh"


def _sources() -> list[Path]:
    skipped = {".venv", ".git", "node_modules", "migrations"}
    return sorted(
        path
        for path in REPO.rglob("*.py")
        if not skipped.intersection(path.relative_to(REPO).parts)
    )


def test_the_sources_are_found() -> None:
    names = {str(path.relative_to(REPO)) for path in _sources()}
    assert "services/reminding/reminders.py" in names
    assert not any("/migrations/" in name for name in names)


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(REPO)): lines
        for path in _sources()
        if (lines := path.read_text(encoding="utf-8").count("\n")) > LONGEST
    }
    assert long == {}, "split these on a seam"


def test_the_zone_is_named_only_as_the_settings_default() -> None:
    naming = [
        str(path.relative_to(REPO))
        for path in _sources()
        if ZONE in path.read_text(encoding="utf-8")
        and path.relative_to(REPO) != Path("tests/unit/test_house.py")
    ]
    assert naming == ["dondoc/settings.py"]


_PRODUCT = ("bot", "dondoc", "jobs", "locales", "models", "plans", "reports", "services")
_CLOSED_SPELLED = re.compile(
    r"[(\[{][^()\[\]{}]*TaskStatus\.(DONE|CANCELLED)\b[^()\[\]{}]*"
    r"TaskStatus\.(?!\1)(DONE|CANCELLED)\b[^()\[\]{}]*[)\]}]"
)


def _product() -> list[Path]:
    return [path for path in _sources() if path.relative_to(REPO).parts[0] in _PRODUCT]


def _product_spelling(pattern: re.Pattern[str]) -> list[str]:
    return [
        str(path.relative_to(REPO))
        for path in _product()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]


def test_done_or_cancelled_is_spelled_once() -> None:
    assert _CLOSED_SPELLED.search("status in (TaskStatus.CANCELLED, TaskStatus.DONE)")
    assert _CLOSED_SPELLED.search("not_in([\n    TaskStatus.DONE,\n    TaskStatus.CANCELLED,\n])")
    assert not _CLOSED_SPELLED.search("TaskStatus.DONE if (done) else TaskStatus.CANCELLED")
    assert _product_spelling(_CLOSED_SPELLED) == ["models/enums.py"], "use CLOSED_STATUSES"


def _defining(pattern: str) -> list[str]:
    return _product_spelling(re.compile(pattern, re.MULTILINE))


def test_text_is_folded_in_one_module() -> None:
    assert _defining(r"^def fold\(") == ["plans/folding.py"]
    assert _defining(r"normalize\(\s*[\"']NFK?D[\"']") == ["plans/folding.py"], "accents"
    assert _defining(r"^class \w+\(dict\[int, str\]\)") == ["plans/folding.py"], "tables"


def test_a_plan_table_s_header_words_are_listed_once() -> None:
    for word in ("so thu tu", "chu tri", "phoi hop", "ghi chu"):
        assert _defining(rf"[\"']{word}[\"']") == ["plans/columns.py"], word


def test_no_function_is_named_clean() -> None:
    assert _defining(r"^\s*def _?clean\(") == [], "name it for what it does"


def test_test_doubles_stay_in_the_tests() -> None:
    assert _defining(r"^\s*(from|import) tests\b") == []
    assert _defining(r"^class Fake") == []


def test_the_chat_queries_only_read() -> None:
    text = (REPO / "services" / "tracking" / "queries.py").read_text(encoding="utf-8")
    assert re.findall(r"\.(add|add_all|delete|commit|flush)\(", text) == []


def test_roman_numerals_and_quarters_are_read_in_one_module() -> None:
    assert _defining(r"[\"']iv[\"']\s*:\s*4") == ["plans/roman.py"]
    assert _defining(r"quy \(") == ["plans/roman.py"]


def test_no_two_public_classes_share_a_name() -> None:
    where: defaultdict[str, list[str]] = defaultdict(list)
    for path in _product():
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"^class ([A-Z]\w*)", text, re.MULTILINE):
            where[name].append(str(path.relative_to(REPO)))
    assert "TaskStatus" in where
    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}


def test_the_product_imports_its_own_names_as_they_are() -> None:
    """A use case has one name everywhere: none is imported under another one (as
    `pending.confirm` was, `as confirm_pending`, where it met `handmade`'s and the page's)."""
    renamed = [
        f"{path.relative_to(REPO)}: {node.module}.{alias.name} as {alias.asname}"
        for path in _product()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _PRODUCT
        for alias in node.names
        if alias.asname is not None and alias.asname != alias.name
    ]
    assert renamed == []


def test_the_office_forms_have_one_shape() -> None:
    """An office form is `bot/web/forms.py: submit` (a form, the use case, a message): no page
    reads its form itself, but the sign-in pages (no officer yet) and the web chat."""
    reading = sorted(
        str(path.relative_to(REPO))
        for path in (REPO / "bot" / "web").glob("*.py")
        if re.search(r"await checked_form\(", path.read_text(encoding="utf-8"))
    )
    assert reading == ["bot/web/auth.py", "bot/web/chat.py", "bot/web/forms.py"]


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(REPO).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _imported_by_name(call: ast.Call, modules: set[str]) -> set[str]:
    """The modules an `importlib.import_module(...)` call may import: the one it names, or
    every module under the package a name built at run time starts with
    (`f"dondoc.commands.{name}"`)."""
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    if name != "import_module" or not call.args:
        return set()
    argument = call.args[0]
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return {argument.value} & modules
    if isinstance(argument, ast.JoinedStr) and argument.values:
        head = argument.values[0]
        if isinstance(head, ast.Constant) and str(head.value).endswith("."):
            return {module for module in modules if module.startswith(str(head.value))}
    return set()


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The product modules `path` imports when it runs, inside functions too (an import put in
    a function to dodge a cycle is still the cycle), by name through `importlib` too; `if
    TYPE_CHECKING:` blocks aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Call):
            found.update(_imported_by_name(node, modules))
    return found & modules


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in graph[module]:
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = [stack.pop()]
            while group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return found


def test_no_import_cycle_hides_in_a_function() -> None:
    paths = {_module_name(path): path for path in _product()}
    modules = set(paths)
    graph = {name: _runtime_imports(path, modules) - {name} for name, path in paths.items()}
    assert "services.reminding.policies" in graph["services.reminding.reminders"]
    assert "dondoc.commands.outbox" in graph["dondoc.cli"], "imported by name, when typed"
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles(graph) == []
