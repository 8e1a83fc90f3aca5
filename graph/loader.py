"""Read knowledge/*.ttl, validate it, and compile it into the Knowledge the checker uses."""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import gc
import hashlib
import hmac
import io
import logging
import os
import pickle
import re
import secrets
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph

from graph import index, model
from graph.errors import KnowledgeInvalid
from graph.index import Knowledge, compile_knowledge
from graph.turtle import read_graph, read_shapes
from graph.validate import shape_violations

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"
CACHE_DIR = ROOT / ".cache"
KEEP_CACHES = 3  # knowledge versions kept, so switching branches stays fast
# A cache file is this tag, the HMAC-SHA256 of the pickle under the cache directory's own
# secret key (KEY_FILE, 0600, made at random by the first start), then the pickle: a pickle
# can run code, so none is loaded unless this machine's app wrote it (decision 024).
CACHE_TAG = b"aftercare-knowledge-hmac-sha256\n"
KEY_FILE = "cache.key"
VERSION_CHARS = 16  # of the digest, in Knowledge.version

log = logging.getLogger(__name__)


# `from graph import a, b` or `from graph.a import …`, anywhere (inside a function too), the
# names perhaps in parentheses over several lines. Read with a pattern, not ast.parse: every
# start computes the cache key, and parsing the modules was 70 ms of it; a line in a
# docstring that looks like an import only adds a module to the key.
_GRAPH_IMPORT = re.compile(r"^[ \t]*from graph(?:\.(\w+))? import (\([^)]*\)|[^\n]*)", re.M)
_COMMENT = re.compile(r"#[^\n]*")


@functools.cache
def compiler_files() -> tuple[Path, ...]:
    """The modules whose code decides what compiling produces: this loader and every graph
    module it imports, transitively. A change to any of them invalidates the cache too; a new
    module the compiler imports joins the key by itself."""
    package = Path(__file__).parent
    seen: set[str] = set()
    todo = ["loader"]
    while todo:
        name = todo.pop()
        if name in seen or not (package / f"{name}.py").exists():
            continue
        seen.add(name)
        source = (package / f"{name}.py").read_text(encoding="utf-8")
        for module, names in _GRAPH_IMPORT.findall(source):
            if module:
                todo.append(module)
            else:
                imported = _COMMENT.sub("", names).strip("()").split(",")
                todo.extend(each.split()[0] for each in imported if each.strip())
    return tuple(package / f"{name}.py" for name in sorted(seen))


def knowledge_problems(graph: Graph, directory: Path) -> list[str]:
    return shape_violations(graph, read_shapes(directory))


def knowledge_digest(directory: Path) -> str:
    """A hash of every knowledge file and of the code that compiles them."""
    digest = hashlib.sha256()
    for path in [*sorted(directory.glob("*.ttl")), *compiler_files()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def knowledge_version(directory: Path) -> str:
    """The version compiled knowledge of these files carries (its digest, shortened)."""
    return knowledge_digest(directory)[:VERSION_CHARS]


def load_knowledge(
    directory: Path = KNOWLEDGE_DIR, cache_dir: Path | None = CACHE_DIR
) -> Knowledge:
    """Load, validate and compile; raises KnowledgeInvalid listing every problem.

    Knowledge that validated once is cached under its digest, so a restart with the same
    files skips parsing and validation (the rdflib graph is then parsed on first use).
    """
    digest = knowledge_digest(directory)
    cached = None if cache_dir is None else cache_dir / f"knowledge-{digest}.pickle"
    if cached is not None and cached.exists():
        try:
            knowledge = _read_cache(cached)
            knowledge.graph_handle.directory = directory
            return knowledge
        except CacheRefused as refused:
            log.warning("%s; rebuilding it from the Turtle files", refused)
            cached.unlink(missing_ok=True)
        except Exception:  # a cache from an older Python or a torn write: rebuild it
            cached.unlink(missing_ok=True)
    print(  # the first start after a change to knowledge/ takes a while: say why
        "Compiling the knowledge from knowledge/*.ttl (about 20 s; cached afterwards) ...",
        file=sys.stderr,
        flush=True,
    )
    graph = read_graph(directory)
    problems = knowledge_problems(graph, directory)
    if problems:
        raise KnowledgeInvalid(problems)
    knowledge = dataclasses.replace(
        compile_knowledge(graph, directory), version=digest[:VERSION_CHARS]
    )
    if cached is not None:
        _write_cache(cached, knowledge)
    gc.freeze()
    return knowledge


class CacheRefused(Exception):
    """A cache file this app did not write (its HMAC does not match): it is never unpickled."""


def cache_key(cache_dir: Path) -> bytes:
    """The cache directory's secret key, made once at random; readable by its owner only."""
    path = cache_dir / KEY_FILE
    try:
        if path.stat().st_mode & 0o077:  # others could read it, so forge a cache with it
            path.unlink()
        key = path.read_bytes()
        if len(key) == 32:
            return key
        path.unlink()
    except FileNotFoundError:
        pass
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes()
    key = secrets.token_bytes(32)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


def _signature(key: bytes, data: bytes | memoryview) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def _read_cache(path: Path) -> Knowledge:
    raw = path.read_bytes()
    signed = memoryview(raw)[len(CACHE_TAG) : len(CACHE_TAG) + 32]
    data = memoryview(raw)[len(CACHE_TAG) + 32 :]
    if not raw.startswith(CACHE_TAG) or not hmac.compare_digest(
        bytes(signed), _signature(cache_key(path.parent), data)
    ):
        raise CacheRefused(f"{path.name} was not written by this app (its HMAC does not match)")
    # ~60,000 objects come back at once: a collection every few hundred of them, finding
    # nothing to free, would cost more than the unpickling itself.
    enabled = gc.isenabled()
    gc.disable()
    try:
        knowledge = pickle.loads(data)
    finally:
        if enabled:
            gc.enable()
    if not isinstance(knowledge, Knowledge):
        raise TypeError(f"{path} does not hold compiled knowledge")
    # The knowledge is immutable and lives as long as the process: move it (with all else
    # alive now) out of the collector's reach, so no later full collection - at start-up or
    # in the middle of a request - walks its ~300,000 objects again (60-80 ms each time).
    gc.freeze()
    return knowledge


def _by_constructor(cls: type[Any]) -> Callable[[Any], tuple[type[Any], tuple[Any, ...]]]:
    fields = dataclasses.fields(cls)
    if not all(field.init for field in fields):
        raise TypeError(f"{cls.__name__} has a field its constructor does not take")
    names = tuple(field.name for field in fields)
    return lambda value: (cls, tuple(getattr(value, name) for name in names))


# A frozen dataclass with slots unpickles through dataclasses' __setstate__, which calls
# fields() per object (most of a cached start-up's time); rebuilding it by its constructor
# is ~4x faster (benchmarks/bench.py measures the cold start).
_FAST_CLASSES = (
    model.Source,
    model.Concept,
    model.Rule,
    model.Phase,
    model.Contraindication,
    model.WarningSign,
    model.Procedure,
    index.NameHit,
    index.NamePattern,
)
_DISPATCH: dict[type[Any], Callable[[Any], Any]] = {
    **copyreg.dispatch_table,
    **{cls: _by_constructor(cls) for cls in _FAST_CLASSES},
}


def _write_cache(path: Path, knowledge: Knowledge) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        older = sorted(path.parent.glob("knowledge-*.pickle"), key=lambda old: old.stat().st_mtime)
        for old in older[:-KEEP_CACHES]:
            old.unlink(missing_ok=True)
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _DISPATCH
        pickler.dump(knowledge)
        data = buffer.getbuffer()
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(CACHE_TAG + _signature(cache_key(path.parent), data))
            handle.write(data)
        os.replace(handle.name, path)  # atomic: another worker never reads half a cache
    except OSError:
        pass  # a read-only disk only costs the next start-up its speed
