"""Querysets that Django compiles to SQL once per process, then runs with new values.

Building a queryset and compiling it to SQL is Python work that every request repeats, although
from one request to the next only the values compared with change. For the forum's topic page
(joins through FilteredRelation) that work took about 1 ms of the page's 9 ms, five times as long
as running the query (bench/forum.py). A PreparedQuery compiles its queryset once with stand-in
values, remembers where each stand-in landed among the SQL's parameters, and from then on runs
that SQL with the real values in their places. Django's own converters turn the columns into
Python values, exactly as they do for the queryset.

The queryset's SQL may depend on the values only as parameters: pass whatever changes the SQL
itself (a branch on a permission, say) as `shape`, which is part of the cache key. Values are
ints or strings, each used by the SQL as it is given: a value that Django changes on its way
(`email__icontains` wraps it in %) or writes into the SQL text is refused when the query is
compiled, and so is a value the SQL does not use.
"""

import threading
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from django.db import connections
from django.db.models import Model, QuerySet

# A stand-in is a value no real query compares with; the index keeps two stand-ins apart.
_INT_STAND_IN = -7_340_912_000_000
_STR_STAND_IN = "\x1fprepared-stand-in-%d\x1f"


class _Compiled(NamedTuple):
    sql: str
    params: tuple
    slots: tuple  # (position in params, name of the value)
    converters: tuple  # (column, (functions, expression)) as SQLCompiler.get_converters


class PreparedQuery:
    """`build(**shape, **values)` returns a values_list() queryset; `rows(...)` its rows as
    tuples, like list(queryset) would."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def rows(self, *, using: str = "default", shape: dict | None = None, **values) -> list[tuple]:
        shape = shape or {}
        connection = connections[using]
        key = (using, connection.vendor, tuple(sorted(shape.items())), tuple(sorted(values)))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(using, shape, values)
            with self._lock:
                self._compiled.setdefault(key, compiled)
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            return list(_convert(rows, compiled.converters, connection))
        return rows  # the drivers' rows are tuples already

    def _compile(self, using: str, shape: dict, values: dict) -> _Compiled:
        stand_ins = {}
        for index, (name, value) in enumerate(sorted(values.items())):
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise TypeError(f"{name}: a prepared query takes ints and strings, not {value!r}")
            stand_ins[name] = (
                _INT_STAND_IN - index if isinstance(value, int) else _STR_STAND_IN % index
            )
        queryset = self.build(**shape, **stand_ins)
        if not queryset._fields:
            raise TypeError("a prepared query is a values_list() queryset with its fields named")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = []
        for name, stand_in in stand_ins.items():
            found = [i for i, param in enumerate(params) if param == stand_in]
            if not found or str(stand_in) in sql:
                raise ValueError(f"{name}: the value is not a parameter of the query's SQL")
            slots.extend((i, name) for i in found)
        fields = [select[0] for select in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        # Django 5.2 selects the columns in values_list()'s order (Query.selected).
        return _Compiled(sql, tuple(params), tuple(slots), tuple(converters.items()))


def _convert(rows, converters, connection):
    """Django's SQLCompiler.apply_converters, with this thread's connection."""
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        yield tuple(row)


@cache
def columns(model: type[Model], through: str = "") -> tuple[str, ...]:
    """Every concrete column of `model`, for values_list(): of the model itself, or of the
    related `model` reached through the relation named `through`. `take` reads them back."""
    names = tuple(field.attname for field in model._meta.concrete_fields)
    return tuple(f"{through}__{name}" for name in names) if through else names


def take(model: type[Model], row: tuple, start: int = 0) -> tuple[Model, int]:
    """The `model` instance whose columns(model) values begin at `start` in `row`, and where the
    values after them begin."""
    names = columns(model)
    end = start + len(names)
    return model.from_db("default", names, row[start:end]), end
