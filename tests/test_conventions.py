"""The banned constructs of docs/conventions.md, one test each.

Every test but one reads the modules of ``netra/`` (migrations left out) with ``ast`` and
fails listing ``path:line: what`` for each place that breaks its rule; the finders are
plain functions of one parsed module, so the tests at the bottom can show each of them a
few lines written to break the rule and a few written to keep it. The one exception looks
at the admin classes themselves, after Django has imported them, so that inheritance
counts. The import rows and cycles are ``tests/test_structure.py``; lookups by string into
another app's fields are ``tests/lookup_guard.py``, installed by ``tests/conftest.py``.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "netra"

# --- the allow-lists: each entry says why -------------------------------------------------

# Where ``_meta`` and the app registry (``apps.get_model`` …) may be read.
REFLECTION_ALLOWED = {
    "netra/social/store.py": (
        "the SQL store writes its own app's tables: it takes their names and index "
        "definitions from the models (db_table, indexes) instead of repeating them"
    ),
    "netra/staff/access.py": (
        "the one jurisdiction predicate turns the caller's path to a region code into one "
        "that accepts __startswith (workplace_id -> workplace__pk); it follows relations, "
        "it names no field of another app"
    ),
    "netra/staff/admin.py": (
        "the admin's permission picker labels Django's default permissions of every app "
        "in Indonesian from the model's names"
    ),
    "netra/staff/vendor.py": (
        "gives third-party apps (django-otp, django-axes) Indonesian model and field "
        "labels at start-up; their code cannot do it"
    ),
    "netra/law/services.py": (
        "the regulation loader is one upsert over law's own tables: it asks a field "
        "whether it is a relation and names the table in the Event it records"
    ),
    "netra/law/management/commands/law_load.py": (
        "prints the names of law's own tables in the load summary"
    ),
}

# Modules with hand-written SQL -> the test that shows the SQL writes what the models
# would (the same rows, constraints and defaults as the ORM).
SQL_PARITY = {
    "netra/social/store.py": "tests/social/test_store_sql.py",
    "netra/social/search.py": "tests/social/test_search.py",
}
# Modules whose SQL touches no table, so no model could disagree with it.
SQL_WITHOUT_TABLES = {
    "netra/web/views.py": "healthz runs SELECT 1 to learn that the database answers",
    "netra/core/locks.py": "takes and drops PostgreSQL advisory locks (pg_try_advisory_lock)",
}

# Output that escapes nothing, by (template or module, what): why it is safe.
UNESCAPED_ALLOWED = {
    ("netra/staff/templates/staff/otp_setup.html", "qr_svg|safe"): (
        "the QR code SVG that the qrcode library draws from the device's otpauth URI: "
        "path data only, no text of anybody's"
    ),
}

# --- reading modules --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Module:
    """One parsed module: its path from the repository root, its tree, each node's parent."""

    path: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(repr=False)

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def is_views(self) -> bool:
        """Request handlers: ``views.py``, ``api.py`` or a module of a ``views/`` package."""
        return self.file_name in {"views.py", "api.py"} or "/views/" in self.path

    def enclosing_functions(self, node: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        """The functions around ``node``, innermost first."""
        found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append(current)
            current = self.parents.get(current)
        return found


def parse(path: str, source: str) -> Module:
    tree = ast.parse(source, filename=path)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    return Module(path=path, tree=tree, parents=parents)


@functools.cache
def netra_modules() -> tuple[Module, ...]:
    """Every module of ``netra/`` but migrations, in path order."""
    return tuple(
        parse(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.relative_to(PACKAGE).parts
    )


def _by_path() -> dict[str, Module]:
    return {module.path: module for module in netra_modules()}


def _module_path(dotted: str) -> str:
    """``netra.registry.events`` -> ``netra/registry/events.py`` (or its ``__init__.py``)."""
    base = dotted.replace(".", "/")
    return f"{base}/__init__.py" if (ROOT / base).is_dir() else f"{base}.py"


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a chain of names, ``""`` for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _last_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


Finder = Callable[[Module], Iterator[tuple[int, str]]]


def violations(finder: Finder) -> list[str]:
    """``path:line: what`` for everything ``finder`` reports in ``netra/``."""
    return [
        f"{module.path}:{line}: {what}"
        for module in netra_modules()
        for line, what in sorted(finder(module))
    ]


def expect_none(found: list[str]) -> None:
    """Pass when nothing was found; else fail listing every ``path:line: what``."""
    assert not found, "\n".join(["", *found])


def _annotation(node: ast.expr | None) -> ast.expr | None:
    """An annotation as an expression, also where it is written as a string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    return node


# --- people typed as Any -------------------------------------------------------------

_PERSON = re.compile(r"^(user|actor)$|_(user|actor)$")
_UNTYPED = {"Any", "object"}


def _is_untyped(annotation: ast.expr | None) -> bool:
    annotation = _annotation(annotation)
    return annotation is not None and any(
        _last_name(node) in _UNTYPED
        for node in ast.walk(annotation)
        if isinstance(node, ast.Name | ast.Attribute)
    )


def find_untyped_people(module: Module) -> Iterator[tuple[int, str]]:
    """Parameters and annotated names called ``user``/``actor`` (or ``*_user``) typed Any."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
            for arg in every:
                untyped = arg.annotation is not None and _is_untyped(arg.annotation)
                if untyped and _PERSON.search(arg.arg):
                    yield arg.lineno, f"{arg.arg}: {ast.unparse(arg.annotation)}"  # type: ignore[arg-type]
        elif isinstance(node, ast.AnnAssign):
            name = _last_name(node.target)
            if _PERSON.search(name) and _is_untyped(node.annotation):
                yield node.lineno, f"{name}: {ast.unparse(node.annotation)}"


def test_no_user_or_actor_is_typed_any() -> None:
    """A request's user is ``netra.staff.types.AnyUser``, the actor of a write ``User | None``."""
    expect_none(violations(find_untyped_people))


# --- event kinds ---------------------------------------------------------------------

_COLLECTIONS = ast.List | ast.Tuple | ast.Set


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr | None]:
    """A function's parameters with their defaults (None where there is none)."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    found = dict(zip((a.arg for a in positional), [*defaults, *arguments.defaults], strict=True))
    found.update(zip((a.arg for a in arguments.kwonlyargs), arguments.kw_defaults, strict=True))
    for extra in (arguments.vararg, arguments.kwarg):
        if extra is not None:
            found[extra.arg] = None
    return found


def _bound_in(name: str, scope: ast.AST, module: Module) -> list[ast.expr] | None:
    """The values ``scope`` (a function, or the module) binds ``name`` to; None when it does
    not bind it. A parameter without default, an import or an unpacking adds no value."""
    values: list[ast.expr] = []
    bound = False
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        parameters = _parameters(scope)
        if name in parameters:
            bound = True
            default = parameters[name]
            if default is not None:
                values.append(default)
    own = [] if isinstance(scope, ast.Module) else [scope]
    for inner in ast.walk(scope):
        if module.enclosing_functions(inner)[:1] != own:
            continue  # the body of a nested function, or the function itself
        if isinstance(inner, ast.Assign):
            for target in inner.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    bound = True
                    values.append(inner.value)
                elif isinstance(target, ast.Tuple) and any(
                    isinstance(part, ast.Name) and part.id == name for part in target.elts
                ):
                    bound = True
        elif isinstance(inner, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
            if isinstance(inner.target, ast.Name) and inner.target.id == name:
                bound = True
                if isinstance(inner, ast.AugAssign):
                    values.append(ast.BinOp(inner.target, inner.op, inner.value))
                elif inner.value is not None:
                    values.append(inner.value)
        elif isinstance(inner, ast.For):
            if isinstance(inner.target, ast.Name) and inner.target.id == name:
                bound = True
                items = inner.iter
                if isinstance(items, ast.Name):
                    named = _bindings(items.id, inner, module) or []
                    items = named[0] if len(named) == 1 else items
                if isinstance(items, _COLLECTIONS):
                    values.extend(items.elts)
        elif isinstance(inner, ast.ImportFrom | ast.Import) and any(
            (alias.asname or alias.name) == name for alias in inner.names
        ):
            bound = True
    return values if bound else None


def _bindings(name: str, node: ast.AST, module: Module) -> list[ast.expr] | None:
    """What ``name`` is bound to where ``node`` reads it: the values given to it in the
    innermost scope that binds it (the functions around ``node``, then the module); None
    when none does."""
    for scope in [*module.enclosing_functions(node), module.tree]:
        values = _bound_in(name, scope, module)
        if values is not None:
            return values
    return None


def _mapping_values(node: ast.expr, module: Module) -> tuple[list[ast.expr], Module] | None:
    """The values of the dict literal that ``node`` (a name) stands for, in this module or
    imported from another netra module; None when it is no such dict."""
    if not isinstance(node, ast.Name):
        return None
    for statement in module.tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if any(isinstance(t, ast.Name) and t.id == node.id for t in targets):
                if isinstance(statement.value, ast.Dict):
                    return [v for v in statement.value.values if v is not None], module
                return None
        if isinstance(statement, ast.ImportFrom) and (statement.module or "").startswith("netra"):
            for alias in statement.names:
                if (alias.asname or alias.name) == node.id:
                    other = _by_path().get(_module_path(statement.module or ""))
                    if other is None:
                        return None
                    return _mapping_values(ast.Name(alias.name), other)
    return None


def kind_problem(node: ast.expr, module: Module, depth: int = 0) -> str | None:
    """Why the expression ``node`` given as an event kind is not a StrEnum member; None when
    it is one (an attribute such as ``SocialEvent.X`` or ``self.event_kinds.changed``, or
    a name, a conditional or a dict lookup that leads only to such)."""
    if depth > 6:
        return None
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Constant | ast.JoinedStr):
            return "a method of a string"
        return None
    if isinstance(node, ast.IfExp):
        return kind_problem(node.body, module, depth + 1) or kind_problem(
            node.orelse, module, depth + 1
        )
    if isinstance(node, ast.Name):
        values = _bindings(node.id, node, module)
        if values is None:
            return f"{node.id}, bound nowhere this test can see"
        for value in values:
            problem = kind_problem(value, module, depth + 1)
            if problem is not None:
                return f"{node.id}, bound to {problem}"
        return None
    if isinstance(node, ast.Subscript):
        found = _mapping_values(node.value, module)
        if found is None:
            return f"a lookup in {ast.unparse(node.value)}, which is no dict literal"
        values, home = found
        for value in values:
            problem = kind_problem(value, home, depth + 1)
            if problem is not None:
                return f"a lookup in {ast.unparse(node.value)}, which holds {problem}"
        return None
    if isinstance(node, ast.Constant):
        return f"the constant {node.value!r}"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp):
        return "a string built with an operator"
    if isinstance(node, ast.Call) and _last_name(node.func) == "format":
        return "a string built with .format()"
    return f"{ast.unparse(node)}, which is no StrEnum member"


def find_event_kinds_as_strings(module: Module) -> Iterator[tuple[int, str]]:
    """Every ``event_record(...)`` whose ``kind`` is not a member of an events.py StrEnum."""
    for node in ast.walk(module.tree):
        if not (isinstance(node, ast.Call) and _last_name(node.func) == "event_record"):
            continue
        kinds = [keyword.value for keyword in node.keywords if keyword.arg == "kind"]
        if not kinds:
            yield node.lineno, "event_record(...) without a visible kind="
            continue
        problem = kind_problem(kinds[0], module)
        if problem is not None:
            yield kinds[0].lineno, f"event_record(kind={ast.unparse(kinds[0])}): {problem}"


def test_event_kinds_are_members_of_a_str_enum() -> None:
    """Each app's events.py has a StrEnum; ``event_record(kind=...)`` takes one of its members."""
    expect_none(violations(find_event_kinds_as_strings))


def test_every_admin_with_events_names_its_kinds() -> None:
    """Every admin class that records Events (``AdminEventsMixin``) sets ``event_kinds`` to
    an ``AdminEventKinds`` of StrEnum members, itself or through a base class."""
    from netra.core.admin import AdminEventKinds, AdminEventsMixin

    for module in netra_modules():
        if module.file_name == "admin.py":
            importlib.import_module(module.path.removesuffix(".py").replace("/", "."))
    classes: list[type] = []
    pending: list[type] = [AdminEventsMixin]
    sub: type
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in classes:
                classes.append(sub)
                pending.append(sub)
    wrong = []
    for cls in classes:
        if not cls.__module__.startswith("netra."):
            continue
        kinds = getattr(cls, "event_kinds", None)
        if isinstance(kinds, AdminEventKinds) and all(isinstance(k, StrEnum) for k in kinds):
            continue
        where = Path(inspect.getsourcefile(cls) or "?").resolve().relative_to(ROOT).as_posix()
        line = inspect.getsourcelines(cls)[1]
        wrong.append(f"{where}:{line}: {cls.__qualname__} sets no event_kinds of StrEnum members")
    expect_none(sorted(wrong))
    assert classes, "no admin class uses AdminEventsMixin: is the test looking in the right place?"


# --- save() of an existing row without update_fields ----------------------------------


def _constructs(value: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``value`` makes a new model object: ``Model(...)``, ``models.Model(...)`` or
    ``model(...)`` where ``model`` is a parameter typed ``type[...]``."""
    if not isinstance(value, ast.Call):
        return False
    name = _last_name(value.func)
    if name[:1].isupper():
        return True
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    for arg in arguments:
        annotation = _annotation(arg.annotation)
        if (
            arg.arg == name
            and isinstance(annotation, ast.Subscript)
            and _last_name(annotation.value) == "type"
        ):
            return True
    return False


def find_saves_without_update_fields(module: Module) -> Iterator[tuple[int, str]]:
    """``x.save()`` without ``update_fields`` where ``x`` was not made in the same function
    by the nearest assignment before the call. Calls with positional arguments are not a
    model's save (``FieldFile.save(name, content)``, an image's ``save(stream)``)."""
    for node in ast.walk(module.tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
        ):
            continue
        named = {keyword.arg for keyword in node.keywords}
        if node.args or named & {"update_fields", "force_insert", None}:
            continue  # not a model's save, a save that names its fields, or handed on
        functions = module.enclosing_functions(node)
        receiver = node.func.value
        if isinstance(receiver, ast.Call) and _last_name(receiver.func) == "super":
            if functions and functions[0].name == "save":
                continue  # a model's own save() handing on to Django's
            yield node.lineno, "super().save() outside save(), without update_fields"
            continue
        label = ast.unparse(receiver)
        if not isinstance(receiver, ast.Name) or not functions:
            yield node.lineno, f"{label}.save() without update_fields"
            continue
        function = functions[0]
        assignments = [
            inner
            for inner in ast.walk(function)
            if isinstance(inner, ast.Assign)
            and inner.lineno < node.lineno
            and any(isinstance(t, ast.Name) and t.id == receiver.id for t in inner.targets)
        ]
        nearest = max(assignments, key=lambda inner: inner.lineno, default=None)
        if nearest is None or not _constructs(nearest.value, function):
            made = f"{label} was not made by Model(...) just before in this function"
            yield node.lineno, f"{label}.save() without update_fields, and {made}"


def test_saving_an_existing_row_names_its_fields() -> None:
    """``save()`` writes every column: only a row made here may; others name update_fields."""
    expect_none(violations(find_saves_without_update_fields))


# --- reflection ----------------------------------------------------------------------

_REGISTRY_CALLS = {"get_model", "get_models", "get_app_config", "get_app_configs"}


def find_reflection(module: Module) -> Iterator[tuple[int, str]]:
    """``x._meta`` and the app registry's ``get_model``/``get_app_config``."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and node.attr == "_meta":
            yield node.lineno, f"{ast.unparse(node)}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _REGISTRY_CALLS
        ):
            yield node.lineno, f"{ast.unparse(node.func)}()"


def test_reflection_only_where_the_allow_list_says_why() -> None:
    """``_meta`` and ``apps.get_model`` reach any app's fields by name; only the modules of
    REFLECTION_ALLOWED may, and each of them still does (else its entry goes)."""
    wrong = []
    for module in netra_modules():
        found = sorted(set(find_reflection(module)))
        if module.path in REFLECTION_ALLOWED:
            continue
        wrong += [f"{module.path}:{line}: {what}" for line, what in found]
    paths = _by_path()
    wrong += [
        f"{path}: listed in REFLECTION_ALLOWED but reads no _meta: remove the entry"
        for path in REFLECTION_ALLOWED
        if path not in paths or not any(True for _ in find_reflection(paths[path]))
    ]
    expect_none(wrong)


# --- selectors returning dicts -------------------------------------------------------

_MAPPINGS = {"dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "OrderedDict"}
_ROW_WRAPPERS = {"list", "tuple", "Sequence", "frozenset", "set", "Optional"}


def _typed_rows(node: ast.expr) -> bool:
    """``node`` names a class of rows (``AccountSubject``, ``list[OfficialAccount]``,
    ``Item | None``), not a builtin, ``Any`` or ``object``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        parts = [node.left, node.right]
        rows = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
        return len(rows) == 1 and _typed_rows(rows[0])
    if isinstance(node, ast.Subscript) and _last_name(node.value) in _ROW_WRAPPERS:
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        inner = [part for part in inner if not isinstance(part, ast.Constant)]  # tuple[X, ...]
        return bool(inner) and all(_typed_rows(part) for part in inner)
    name = _last_name(node)
    return name[:1].isupper() and name not in {"Any", "Dict", "Mapping"}


def _is_read(module: Module, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A public read: not a module's private helper (``_targets``), which only its own
    selectors see."""
    if function.name.startswith("_"):
        return False
    return module.file_name in {"selectors.py", "access.py"} or function.name.startswith("access_")


def _is_str(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def find_reads_returning_dicts(module: Module) -> Iterator[tuple[int, str]]:
    """Selectors (selectors.py) and access functions (access.py, ``access_*``) whose return
    annotation is a dict grab-bag, or that return a dict literal keyed by strings."""
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not _is_read(
            module, node
        ):
            continue
        annotation = _annotation(node.returns)
        if annotation is not None and (problem := _returns_problem(annotation)) is not None:
            yield node.lineno, f"{node.name}() -> {problem}"
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Return)
                and isinstance(inner.value, ast.Dict)
                and any(_is_str(key) for key in inner.value.keys)
                and module.enclosing_functions(inner)[:1] == [node]
            ):
                yield inner.lineno, f"{node.name}() returns a dict literal keyed by names"


def _returns_problem(annotation: ast.expr) -> str | None:
    """A bare mapping, ``Any``, or a mapping that is no index of typed rows."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name | ast.Attribute) and _last_name(node) == "Any":
            if node is annotation:
                return "Any"
            continue
        if isinstance(node, ast.Subscript) and _last_name(node.value) in _MAPPINGS:
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if len(parts) != 2:
                return ast.unparse(node)
            key, value = parts
            if _last_name(key) == "str":
                return f"{ast.unparse(node)}, keyed by names: a dataclass's job"
            if not _typed_rows(value):
                return f"{ast.unparse(node)}, whose values are no typed rows"
        elif isinstance(node, ast.Name | ast.Attribute) and _last_name(node) in _MAPPINGS:
            parent = None
            for candidate in ast.walk(annotation):
                if isinstance(candidate, ast.Subscript) and candidate.value is node:
                    parent = candidate
            if parent is None:
                return f"{ast.unparse(node)}, a bare mapping"
    return None


def test_reads_return_query_sets_or_dataclasses() -> None:
    """A selector or access function returns a QuerySet, a model, a dataclass, or an index of
    those by key (``dict[int, AccountSubject]``): never a dict of named values."""
    expect_none(violations(find_reads_returning_dicts))


# --- views touching the ORM; views checking permissions ----------------------------

_MANAGERS = {"objects", "_default_manager", "_base_manager"}
_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def find_queries_in_views(module: Module) -> Iterator[tuple[int, str]]:
    """``Model.objects`` (or a default manager, ``get_object_or_404``) in a views module."""
    if not module.is_views:
        return
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and node.attr in _MANAGERS:
            yield node.lineno, ast.unparse(node)
        elif isinstance(node, ast.Name | ast.Attribute) and _last_name(node) in _SHORTCUTS:
            yield node.lineno, _last_name(node)


def test_views_query_nothing_themselves() -> None:
    """Views read through selectors and access helpers, and write through services."""
    expect_none(violations(find_queries_in_views))


_PERMISSION_CALLS = {"has_perm", "has_perms", "has_module_perms"}
_PERMISSION_NAMES = {
    "permission_required",
    "user_passes_test",
    "staff_member_required",
    "PermissionRequiredMixin",
    "UserPassesTestMixin",
}
_ROLE_FLAGS = {"is_superuser", "is_staff", "role"}
_TESTS = ast.Compare | ast.If | ast.BoolOp | ast.UnaryOp | ast.IfExp


def find_permission_checks_in_views(module: Module) -> Iterator[tuple[int, str]]:
    """``user.has_perm``, Django's permission decorators and mixins, ``_require*`` helpers,
    ``raise PermissionDenied`` and tests of ``is_superuser``/``is_staff``/``role`` in a views
    module: a view's permission is the one argument of ``staff_view``."""
    if not module.is_views:
        return
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call):
            name = _last_name(node.func)
            if name in _PERMISSION_CALLS:
                yield node.lineno, f"{ast.unparse(node.func)}()"
            elif name.startswith("_require"):
                yield node.lineno, f"{name}()"
        if isinstance(node, ast.Name | ast.Attribute) and _last_name(node) in _PERMISSION_NAMES:
            yield node.lineno, _last_name(node)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _last_name(raised) == "PermissionDenied":
                yield node.lineno, "raise PermissionDenied"
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in _ROLE_FLAGS
            and isinstance(module.parents.get(node), _TESTS)
        ):
            yield node.lineno, f"a test of {ast.unparse(node)}"


def test_views_check_no_permission_by_hand() -> None:
    """``@staff_view("app.permission")`` (netra/staff/decorators.py) is the one check."""
    expect_none(violations(find_permission_checks_in_views))


# --- role sets -----------------------------------------------------------------------

_RULES = "netra/staff/rules.py"


def _is_role(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and _last_name(node.value) == "Role"


def find_role_sets(module: Module) -> Iterator[tuple[int, str]]:
    """A set, list or tuple of nothing but ``Role`` members, or a call given two or more."""
    if module.path == _RULES:
        return
    for node in ast.walk(module.tree):
        if isinstance(node, _COLLECTIONS):
            listed = bool(node.elts) and all(map(_is_role, node.elts))
        elif isinstance(node, ast.Call):
            listed = sum(map(_is_role, node.args)) >= 2
        else:
            continue
        if listed:
            yield node.lineno, ast.unparse(node)


def test_role_sets_live_only_in_staff_rules() -> None:
    """Who may do what is a predicate of netra/staff/rules.py, never a role list elsewhere."""
    expect_none(violations(find_role_sets))


# --- signals ------------------------------------------------------------------------

_SIGNALS = {
    "pre_init",
    "post_init",
    "pre_save",
    "post_save",
    "pre_delete",
    "post_delete",
    "m2m_changed",
    "pre_migrate",
    "post_migrate",
    "class_prepared",
    "request_started",
    "request_finished",
    "got_request_exception",
    "setting_changed",
    "user_logged_in",
    "user_logged_out",
    "user_login_failed",
}


def find_signals(module: Module) -> Iterator[tuple[int, str]]:
    """``@receiver``, ``<signal>.connect(...)``, ``Signal()`` and imports of signal modules."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
            if any(n == "django.dispatch" or n.endswith(".signals") for n in names):
                yield node.lineno, f"from {node.module} import ..."
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "django.dispatch" or alias.name.endswith(".signals"):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"connect", "send", "send_robust"} and (
                _last_name(node.func.value) in _SIGNALS or "signal" in dotted(node.func.value)
            ):
                yield node.lineno, f"{ast.unparse(node.func)}()"
        elif isinstance(node, ast.Call) and _last_name(node.func) in {"receiver", "Signal"}:
            yield node.lineno, f"{_last_name(node.func)}(...)"


def test_no_signals() -> None:
    """A write's consequences are the service's own lines, where a reader finds them."""
    expect_none(violations(find_signals))


# --- hand-written SQL ---------------------------------------------------------------

_SQL_CALLS = {"cursor", "execute", "executemany", "executescript", "raw", "extra"}
_SQL_NAMES = {"RawSQL"}
_DRIVERS = {"sqlite3", "psycopg", "psycopg2"}


def find_sql(module: Module) -> Iterator[tuple[int, str]]:
    """Cursors, ``execute``, ``QuerySet.raw``/``extra``, ``RawSQL`` and database drivers."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _SQL_CALLS or (
                node.func.attr == "connect" and dotted(node.func.value) in _DRIVERS
            ):
                yield node.lineno, f"{ast.unparse(node.func)}()"
        elif isinstance(node, ast.Name) and node.id in _SQL_NAMES:
            yield node.lineno, node.id


def test_hand_written_sql_is_listed() -> None:
    """SQL comes only from modules of SQL_PARITY (with a model-parity test) or of
    SQL_WITHOUT_TABLES (touching no table); each of them still has some."""
    listed = SQL_PARITY.keys() | SQL_WITHOUT_TABLES.keys()
    wrong = [
        f"{module.path}:{line}: {what}, a module in neither SQL_PARITY nor SQL_WITHOUT_TABLES"
        for module in netra_modules()
        if module.path not in listed
        for line, what in sorted(set(find_sql(module)))
    ]
    paths = _by_path()
    wrong += [
        f"{path}: listed for its SQL but has none: remove the entry"
        for path in sorted(listed)
        if path not in paths or not any(True for _ in find_sql(paths[path]))
    ]
    expect_none(wrong)


def _imports(source: str, dotted: str) -> bool:
    """Whether ``source`` imports the module ``dotted`` (``import a.b`` or ``from a import b``)."""
    package, _dot, module = dotted.rpartition(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(alias.name == dotted for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (
            node.module == dotted
            or (node.module == package and any(alias.name == module for alias in node.names))
        ):
            return True
    return False


def test_every_module_with_sql_has_its_parity_test() -> None:
    """The parity test of SQL_PARITY exists and imports the module it checks."""
    wrong = []
    for module, test in SQL_PARITY.items():
        path = ROOT / test
        name = module.removesuffix(".py").replace("/", ".")
        if not path.is_file():
            wrong.append(f"{module}: its model-parity test {test} does not exist")
        elif not _imports(path.read_text(encoding="utf-8"), name):
            wrong.append(f"{module}: {test} does not import {name}")
    expect_none(wrong)


# --- unescaped output ---------------------------------------------------------------

_TEMPLATE_SAFE = re.compile(r"\{\{\s*([^}]*?)\s*\|\s*(safe|safeseq)\s*(?:\||\}\})")
_TEMPLATE_OFF = re.compile(r"\{%\s*autoescape\s+off\s*%\}")
_UNESCAPED = {"mark_safe", "csrf_exempt", "SafeString", "SafeText", "SafeData"}


def find_unescaped_python(module: Module) -> Iterator[tuple[int, str]]:
    """``mark_safe(...)``, ``SafeString(...)`` and ``csrf_exempt``, called or as decorators."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and _last_name(node.func) in _UNESCAPED:
            yield node.lineno, f"{_last_name(node.func)}(...)"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                if _last_name(decorator) == "csrf_exempt":
                    yield decorator.lineno, "@csrf_exempt"


def find_unescaped_template(path: str, text: str) -> Iterator[tuple[int, str]]:
    """``{{ x|safe }}``, ``|safeseq`` and ``{% autoescape off %}`` in one template."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _TEMPLATE_SAFE.finditer(line):
            yield number, f"{match.group(1).strip()}|{match.group(2)}"
        if _TEMPLATE_OFF.search(line):
            yield number, "autoescape off"


def test_output_is_escaped_except_where_listed() -> None:
    """Django escapes what pages show; ``mark_safe``, ``|safe`` and ``csrf_exempt`` turn
    that off, so each use is in UNESCAPED_ALLOWED with its reason, and still exists."""
    found: list[tuple[str, int, str]] = []
    for module in netra_modules():
        found += [(module.path, line, what) for line, what in find_unescaped_python(module)]
    for template in sorted(PACKAGE.rglob("templates/**/*")):
        if template.suffix in {".html", ".txt", ".xml", ".svg"}:
            path = template.relative_to(ROOT).as_posix()
            text = template.read_text(encoding="utf-8")
            found += [(path, line, what) for line, what in find_unescaped_template(path, text)]
    wrong = [
        f"{path}:{line}: {what}"
        for path, line, what in sorted(found)
        if (path, what) not in UNESCAPED_ALLOWED
    ]
    seen = {(path, what) for path, _line, what in found}
    wrong += [
        f"{path}: {what} is in UNESCAPED_ALLOWED but no longer there: remove the entry"
        for path, what in UNESCAPED_ALLOWED
        if (path, what) not in seen
    ]
    expect_none(wrong)


# --- the finders themselves -------------------------------------------------------------


def _found(finder: Finder, source: str, path: str = "netra/social/services.py") -> list[str]:
    return [what for _line, what in sorted(finder(parse(path, source)))]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(user: Any) -> None: ...", ["user: Any"]),
        ("def f(*, actor: Any | None) -> None: ...", ["actor: Any | None"]),
        ("def f(request_user: 'object') -> None: ...", ["request_user: 'object'"]),
        ("class C:\n    actor: typing.Any\n", ["actor: typing.Any"]),
        ("def f(user: AnyUser, *, actor: User | None) -> None: ...", []),
        ("def f(users: Any) -> None: ...", []),
    ],
)
def test_untyped_people_are_found(source: str, expected: list[str]) -> None:
    assert _found(find_untyped_people, source) == expected


_KIND_CASES = [
    ("event_record(kind='social.x')", "the constant 'social.x'"),
    ("event_record(kind=f'social.{verb}')", "an f-string"),
    ("event_record(kind='social.' + verb)", "a string built with an operator"),
    ("event_record(kind='social.%s' % verb)", "a string built with an operator"),
    ("event_record(kind='social.{}'.format(verb))", "a string built with .format()"),
    ("event_record(kind=str(SocialEvent.X))", "str(SocialEvent.X), which is no StrEnum member"),
    ("event_record(kind=SocialEvent.X if ok else 'social.y')", "the constant 'social.y'"),
    ("event_record(subject=row)", None),
    ("event_record(kind=SocialEvent.X)", ""),
    ("event_record(kind=self.event_kinds.changed)", ""),
    ("event_record(kind=SocialEvent.X if ok else SocialEvent.Y)", ""),
]


@pytest.mark.parametrize(("call", "expected"), _KIND_CASES)
def test_event_kinds_written_as_strings_are_found(call: str, expected: str | None) -> None:
    found = _found(find_event_kinds_as_strings, f"def f(row, ok, verb):\n    {call}\n")
    if expected is None:
        assert found == ["event_record(...) without a visible kind="]
    elif expected:
        assert found == [f"event_record(kind={call.split('kind=', 1)[1][:-1]}): {expected}"]
    else:
        assert found == []


def test_a_kind_is_followed_through_names_and_dicts() -> None:
    source = (
        'KINDS = {"a": SocialEvent.A, "b": "social.b"}\n'
        "GOOD = {1: SocialEvent.A}\n"
        "def f(kinds, status):\n"
        '    kind = "social.item_entered"\n'
        "    event_record(kind=kind)\n"
        "    event_record(kind=kinds.created)\n"
        "    event_record(kind=KINDS[status])\n"
        "    event_record(kind=GOOD[status])\n"
        "    for good in (SocialEvent.A, SocialEvent.B):\n"
        "        event_record(kind=good)\n"
        '    for bad in ("social.a", "social.b"):\n'
        "        event_record(kind=bad)\n"
        "def g(kind=SocialEvent.A, *, other='social.x'):\n"
        "    event_record(kind=kind)\n"
        "    event_record(kind=other)\n"
    )
    assert _found(find_event_kinds_as_strings, source) == [
        "event_record(kind=kind): kind, bound to the constant 'social.item_entered'",
        "event_record(kind=KINDS[status]): a lookup in KINDS, which holds the constant 'social.b'",
        "event_record(kind=bad): bad, bound to the constant 'social.a'",
        "event_record(kind=other): other, bound to the constant 'social.x'",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    x = Office(name='a')\n    x.full_clean()\n    x.save()\n", []),
        ("def f(model: type[M]):\n    row = model(**values)\n    row.save()\n", []),
        ("def f(x):\n    x.save(update_fields=['name'])\n", []),
        ("def f(x):\n    x.attachment.save('a.txt', content, save=False)\n", []),
        ("class M:\n    def save(self, *a, **kw):\n        super().save(*a, **kw)\n", []),
        (
            "def f(account):\n    account.save()\n",
            [
                "account.save() without update_fields, and account was not made by "
                "Model(...) just before in this function"
            ],
        ),
        (
            "def f():\n    x = Office.objects.get(pk=1)\n    x.save()\n",
            [
                "x.save() without update_fields, and x was not made by Model(...) just "
                "before in this function"
            ],
        ),
        (
            "def f():\n    x = Office()\n    x = load(x)\n    x.save()\n",
            [
                "x.save() without update_fields, and x was not made by Model(...) just "
                "before in this function"
            ],
        ),
        ("def f(self):\n    self.run.save()\n", ["self.run.save() without update_fields"]),
    ],
)
def test_saves_of_existing_rows_are_found(source: str, expected: list[str]) -> None:
    assert _found(find_saves_without_update_fields, source) == expected


def test_reflection_is_found() -> None:
    source = "a = model._meta.db_table\nb = apps.get_model('social', 'Item')\n"
    assert _found(find_reflection, source) == ["model._meta", "apps.get_model()"]


@pytest.mark.parametrize(
    ("returns", "expected"),
    [
        ("QuerySet[Item]", []),
        ("ItemDetail", []),
        ("dict[int, AccountSubject]", []),
        ("dict[tuple[str, str], list[OfficialAccount]]", []),
        ("dict[str, Any]", ["f() -> dict[str, Any], keyed by names: a dataclass's job"]),
        (
            "dict[str, AccountSubject]",
            ["f() -> dict[str, AccountSubject], keyed by names: a dataclass's job"],
        ),
        ("dict[int, int]", ["f() -> dict[int, int], whose values are no typed rows"]),
        ("dict", ["f() -> dict, a bare mapping"]),
        ("list[dict[int, Any]]", ["f() -> dict[int, Any], whose values are no typed rows"]),
        ("Any", ["f() -> Any"]),
    ],
)
def test_reads_returning_dicts_are_found(returns: str, expected: list[str]) -> None:
    source = f"def f(user: AnyUser) -> {returns}:\n    ...\n"
    assert _found(find_reads_returning_dicts, source, "netra/monitor/selectors.py") == expected
    assert _found(find_reads_returning_dicts, source, "netra/monitor/views.py") == []


def test_a_read_returning_a_dict_literal_is_found() -> None:
    source = "def access_x_for_user(user):\n    return {'item': 1, 'count': 2}\n"
    assert _found(find_reads_returning_dicts, source, "netra/x/services.py") == [
        "access_x_for_user() returns a dict literal keyed by names"
    ]


def test_queries_and_permission_checks_in_views_are_found() -> None:
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "@permission_required('monitor.view')\n"
        "def page(request):\n"
        "    item = Item.objects.get(pk=1)\n"
        "    other = get_object_or_404(Item, pk=2)\n"
        "    if not request.user.has_perm('monitor.view'):\n"
        "        raise PermissionDenied\n"
        "    if request.user.is_superuser:\n"
        "        _require(request.user)\n"
    )
    views = "netra/monitor/views.py"
    assert _found(find_queries_in_views, source, views) == ["Item.objects", "get_object_or_404"]
    assert sorted(_found(find_permission_checks_in_views, source, views)) == sorted(
        [
            "permission_required",
            "request.user.has_perm()",
            "raise PermissionDenied",
            "a test of request.user.is_superuser",
            "_require()",
        ]
    )
    assert _found(find_queries_in_views, source, "netra/monitor/selectors.py") == []
    assert _found(find_permission_checks_in_views, source, "netra/monitor/selectors.py") == []


def test_role_sets_are_found() -> None:
    source = (
        "A = frozenset({Role.ANALYST, Role.ADMIN})\n"
        "b = user.role in (Role.ADMIN,)\n"
        "c = _has_role(user, Role.ANALYST, Role.ADMIN)\n"
        "d = ('demo_admin', 'Admin', Role.ADMIN, 'ri')\n"
    )
    assert _found(find_role_sets, source) == [
        "{Role.ANALYST, Role.ADMIN}",
        "(Role.ADMIN,)",
        "_has_role(user, Role.ANALYST, Role.ADMIN)",
    ]
    assert _found(find_role_sets, source, _RULES) == []


def test_signals_are_found() -> None:
    source = (
        "from django.db.models.signals import post_save\n"
        "from django.dispatch import receiver\n"
        "@receiver(post_save, sender=Item)\n"
        "def on_save(sender, **kwargs): ...\n"
        "post_save.connect(on_save, sender=Item)\n"
        "done = Signal()\n"
        "database = sqlite3.connect(path)\n"
    )
    assert sorted(_found(find_signals, source)) == sorted(
        [
            "from django.db.models.signals import ...",
            "from django.dispatch import ...",
            "receiver(...)",
            "post_save.connect()",
            "Signal(...)",
        ]
    )


def test_sql_is_found() -> None:
    source = (
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SELECT 1')\n"
        "Item.objects.raw('SELECT * FROM social_item')\n"
        "Item.objects.annotate(n=RawSQL('1', []))\n"
        "database = sqlite3.connect(path)\n"
    )
    assert sorted(_found(find_sql, source)) == sorted(
        [
            "connection.cursor()",
            "cursor.execute()",
            "Item.objects.raw()",
            "RawSQL",
            "sqlite3.connect()",
        ]
    )


def test_unescaped_output_is_found() -> None:
    source = "@csrf_exempt\ndef hook(request):\n    return mark_safe(text)\n"
    assert sorted(_found(find_unescaped_python, source)) == ["@csrf_exempt", "mark_safe(...)"]
    template = "{{ a|safe }} {{ b|default:''|safe }} {{ c|safeseq|join:', ' }} {{ d }}\n"
    template += "{% autoescape off %}{{ e }}{% endautoescape %}\n"
    assert [what for _line, what in find_unescaped_template("t.html", template)] == [
        "a|safe",
        "b|default:''|safe",
        "c|safeseq",
        "autoescape off",
    ]
