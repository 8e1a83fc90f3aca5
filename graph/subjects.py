"""Subjects as the professional pages find and browse them: by id or any name, kind by kind,
and an ingredient class with its broader and narrower classes and its members."""

from __future__ import annotations

from dataclasses import dataclass

from graph import report
from graph.errors import InvalidInput, InvalidValue, NotFound
from graph.index import Knowledge
from graph.model import KINDS, LOOKUP_ORDER, SUBJECT_KINDS, Concept
from graph.tokens import normalize_name

Json = report.Json


def kind_rank(kind: str) -> int:
    return SUBJECT_KINDS.index(kind) if kind in SUBJECT_KINDS else len(SUBJECT_KINDS)


def find_subjects(
    knowledge: Knowledge, key: str, kinds: tuple[str, ...] = LOOKUP_ORDER, field: str = "subject"
) -> list[Concept]:
    """Every rule subject a person may mean by an id, name or synonym, in any case, best first.

    A plural finds its singular. Where a word names several kinds ("BHA" is a class of acids
    and an antioxidant's INCI name), the class, activity or product type comes first.
    """
    text = normalize_name(key)
    if not text:
        raise InvalidInput(f"{field} is required: an id or a name.", field)
    candidates = [text]
    if text.endswith("es"):
        candidates.append(text[:-2])
    if text.endswith("s"):
        candidates.append(text[:-1])
    for candidate in candidates:
        found = [
            knowledge.concepts[iri]
            for kind in kinds
            if (iri := knowledge.keys.get((kind, candidate))) is not None
        ]
        if found:
            return found
    names = [KINDS[kind].word for kind in kinds]
    words = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    raise NotFound(f"No {words} called {key!r}.", field)


def find_subject(
    knowledge: Knowledge, key: str, kinds: tuple[str, ...] = LOOKUP_ORDER, field: str = "subject"
) -> Concept:
    return find_subjects(knowledge, key, kinds, field)[0]


def subject_choices(knowledge: Knowledge) -> list[str]:
    """Names to suggest while typing a subject: the classes, activities and product types."""
    kinds = [kind for kind in SUBJECT_KINDS if kind != "ingredient"]
    labels = {concept.label for kind in kinds for concept in knowledge.of_kind(kind)}
    return sorted(labels, key=str.casefold)


def subject_kinds(kind: str | None) -> tuple[str, ...]:
    """The kinds to look a subject up in: all of them, or the one asked for."""
    if not kind:
        return LOOKUP_ORDER
    if kind not in SUBJECT_KINDS:
        raise InvalidValue(f"kind must be one of {', '.join(LOOKUP_ORDER)}.", "kind")
    return (kind,)


@dataclass(frozen=True, slots=True)
class Member:
    ingredient: Concept
    filed_under: Concept  # the class, at or below the one asked about, it is a member of
    curated: bool


@dataclass(frozen=True, slots=True)
class MemberPage:
    total: int
    curated: int
    page: int
    per_page: int
    items: tuple[Member, ...]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def narrower_classes(knowledge: Knowledge, concept: Concept) -> list[Concept]:
    """The classes directly below a class."""
    found = [
        other
        for other in knowledge.of_kind("class")
        if concept.iri in other.broader and other.iri != concept.iri
    ]
    return sorted(found, key=lambda c: c.label.casefold())


def broader_classes(knowledge: Knowledge, concept: Concept) -> list[Concept]:
    found = [knowledge.concepts[iri] for iri in concept.broader if iri in knowledge.concepts]
    return sorted(found, key=lambda c: c.label.casefold())


def class_members(knowledge: Knowledge, concept: Concept, page: int, per_page: int) -> MemberPage:
    """The ingredients of a class and of the classes below it, curated ones first."""
    below = {
        iri: knowledge.concepts[iri]
        for iri, paths in knowledge.lineages.items()
        if concept.iri in paths and knowledge.concepts[iri].kind == "class"
    }
    members = []
    inside = dict.fromkeys(iri for cls in below for iri in knowledge.members.get(cls, ()))
    for ingredient in (knowledge.concepts[iri] for iri in inside):
        filed = [below[iri] for iri in ingredient.broader if iri in below]
        if filed:
            nearest = min(filed, key=lambda c: (c.iri != concept.iri, c.label.casefold()))
            members.append(Member(ingredient, nearest, ingredient.curated))
    members.sort(key=lambda m: (not m.curated, m.ingredient.label.casefold()))
    result = MemberPage(len(members), sum(m.curated for m in members), page, per_page, ())
    if page < 1 or (page > result.pages):
        raise NotFound(f"There is no page {page}; pages run from 1 to {result.pages}.", "page")
    start = (page - 1) * per_page
    return MemberPage(
        result.total, result.curated, page, per_page, tuple(members[start : start + per_page])
    )


def subject_json(concept: Concept) -> Json:
    return {
        **report.concept_ref(concept),
        "alt_labels": list(concept.alt_labels),
        "definition": concept.definition,
    }
