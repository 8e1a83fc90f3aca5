"""The knowledge is code: shapes, completeness queries, the hierarchy, the vocabulary mirror."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from app import create_app
from graph import sparql_store
from graph.errors import KnowledgeInvalid
from graph.index import Knowledge
from graph.loader import CACHE_DIR, load_knowledge
from graph.namespaces import AC, CLASS
from tests.conftest import KNOWLEDGE_DIR

QUERIES = sorted((KNOWLEDGE_DIR / "queries").glob("*.rq"))
COMPLETENESS = [path for path in QUERIES if sparql_store.COMPLETENESS_MARK in path.read_text()]

# The classes the foundation must have (issue 3), by id.
REQUIRED_CLASSES = [
    "retinoid",
    "aha",
    "bha",
    "pha",
    "chemical-exfoliant",
    "physical-exfoliant",
    "vitamin-c",
    "antioxidant",
    "peptide",
    "growth-factor",
    "humectant",
    "ceramide",
    "occlusive",
    "fragrance",
    "fragrance-allergen-eu",
    "essential-oil",
    "drying-alcohol",
    "benzoyl-peroxide",
    "harsh-surfactant",
    "mineral-uv-filter",
    "chemical-uv-filter",
    "soothing",
]


def test_knowledge_conforms_to_the_shapes(knowledge: Knowledge) -> None:
    assert len(knowledge.graph) > 1000


def test_completeness_queries_find_nothing_missing(knowledge: Knowledge) -> None:
    # on the Oxigraph store `flask validate` and /sparql use: 0.14 s, where rdflib took 25 s
    store = sparql_store.open_store(knowledge.version, KNOWLEDGE_DIR, CACHE_DIR, lambda: knowledge)
    assert sparql_store.completeness_problems(store, KNOWLEDGE_DIR / "queries") == []


def test_completeness_queries_exist_for_sources_labels_and_vocabulary() -> None:
    assert {path.stem for path in COMPLETENESS} >= {
        "rules-missing-source",
        "concepts-missing-label",
        "vocabulary-undocumented",
    }


def test_class_hierarchy_is_acyclic_and_rooted_in_declared_classes(knowledge: Knowledge) -> None:
    classes = {c.iri: c for c in knowledge.of_kind("class")}
    edges = [(iri, up) for iri, c in classes.items() for up in c.broader]
    hierarchy: nx.DiGraph[str] = nx.DiGraph(edges)
    assert nx.is_directed_acyclic_graph(hierarchy)
    assert set(hierarchy.nodes) <= set(classes)


@pytest.mark.parametrize("class_id", REQUIRED_CLASSES)
def test_required_class_exists_with_members(knowledge: Knowledge, class_id: str) -> None:
    iri = str(CLASS[class_id])
    assert iri in knowledge.concepts
    members = [c for c in knowledge.of_kind("ingredient") if iri in knowledge.lineage(c.iri)]
    assert members, f"no ingredient belongs to {class_id}"


def test_at_least_300_curated_ingredients_with_synonyms(knowledge: Knowledge) -> None:
    ingredients = list(knowledge.of_kind("ingredient"))
    assert len(ingredients) >= 300
    assert sum(len(c.alt_labels) for c in ingredients) >= 150


def test_every_rule_subject_class_has_a_member(knowledge: Knowledge) -> None:
    ingredients = list(knowledge.of_kind("ingredient"))
    for procedure in knowledge.procedures.values():
        for rule in procedure.rules:
            if knowledge.concepts[rule.subject].kind == "class":
                assert any(rule.subject in knowledge.lineage(c.iri) for c in ingredients), rule.id


def test_microneedling_has_every_rule_of_the_brief(knowledge: Knowledge) -> None:
    codes = [rule.notation for rule in knowledge.procedure("microneedling").rules]
    assert codes == [f"MN-{number:02d}" for number in range(1, 84)]


def test_microneedling_phases_start_on_day_0_and_leave_no_gap(knowledge: Knowledge) -> None:
    phases = knowledge.procedure("microneedling").phases
    assert phases[0].from_day == 0
    for day in range(0, 60):
        assert knowledge.procedure("microneedling").phase_on(day) is not None, day


def test_vocabulary_and_python_namespace_mirror_each_other() -> None:
    vocab = Graph().parse(KNOWLEDGE_DIR / "vocab.ttl")
    declared = {
        str(term).removeprefix(str(AC._NS))
        for kind in (RDFS.Class, RDF.Property, AC.Verdict, AC.EvidenceGrade)
        for term in vocab.subjects(RDF.type, kind)
        if str(term).startswith(str(AC._NS))
    }
    assert declared == set(AC.__annotations__)


def test_knowledge_files_use_only_declared_vocabulary() -> None:
    used = set()
    for path in KNOWLEDGE_DIR.glob("*.ttl"):
        used |= set(re.findall(r"\bac:([A-Za-z]+)", path.read_text()))
    shapes = {term for term in used if term.endswith("Shape")}
    assert used - shapes <= set(AC.__annotations__)


def break_file(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_rule_without_source_refuses_to_start_and_says_why(knowledge_copy: Path) -> None:
    path = knowledge_copy / "procedure-microneedling.ttl"
    text = path.read_text()
    start = text.index("rule:mn-01 a ac:Rule")
    block_end = text.index(" .\n", start)
    block = text[start:block_end]
    stripped = re.sub(r"\s*dcterms:source [^;]+;", "", block)
    path.write_text(text[:start] + stripped + text[block_end:])
    with pytest.raises(KnowledgeInvalid) as caught:
        create_app({"KNOWLEDGE_DIR": knowledge_copy, "KNOWLEDGE_CACHE_DIR": None})
    assert any(
        "MN-01" in p and "names at least one declared source" in p for p in caught.value.problems
    )


def test_rule_ending_before_it_starts_is_refused(knowledge_copy: Path) -> None:
    break_file(knowledge_copy, "procedure-microneedling.ttl", "ac:untilDay 6", "ac:untilDay -3")
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(knowledge_copy, cache_dir=None)
    assert any("cannot end before it starts" in problem for problem in caught.value.problems)


def test_class_cycle_is_refused(knowledge_copy: Path) -> None:
    with (knowledge_copy / "classes.ttl").open("a") as extra:
        extra.write(
            "\n<https://example.org/aftercare/class/irritant-active> "
            "<http://www.w3.org/2004/02/skos/core#broader> "
            "<https://example.org/aftercare/class/retinoid> .\n"
        )
    with pytest.raises(KnowledgeInvalid, match="cycle"):
        load_knowledge(knowledge_copy, cache_dir=None)


def test_name_shared_by_two_ingredients_is_refused(knowledge_copy: Path) -> None:
    with (knowledge_copy / "ingredients.ttl").open("a") as extra:
        extra.write(
            "\n<https://example.org/aftercare/ingredient/impostor> "
            "a <https://example.org/aftercare#Ingredient> ; "
            '<http://www.w3.org/2004/02/skos/core#prefLabel> "Impostor" ; '
            '<http://www.w3.org/2004/02/skos/core#altLabel> "Retinol" ; '
            "<https://example.org/aftercare#memberOf> "
            "<https://example.org/aftercare/class/humectant> .\n"
        )
    with pytest.raises(KnowledgeInvalid, match="Retinol"):
        load_knowledge(knowledge_copy, cache_dir=None)


def test_broken_turtle_is_refused_with_the_file_name(knowledge_copy: Path) -> None:
    (knowledge_copy / "broken.ttl").write_text("this is not turtle")
    with pytest.raises(KnowledgeInvalid, match=r"broken\.ttl"):
        load_knowledge(knowledge_copy, cache_dir=None)


def test_every_team_decision_cited_by_the_knowledge_has_its_record(knowledge: Knowledge) -> None:
    decisions = [source for source in knowledge.sources.values() if source.decision]
    assert {"TD-005", "TD-006", "TD-007"} <= {source.notation for source in decisions}
    for source in decisions:
        record = KNOWLEDGE_DIR.parent / str(source.decision)
        assert record.is_file(), f"{source.notation} cites {source.decision}, which is missing"
        assert record.read_text(encoding="utf-8").startswith(f"# {source.notation[3:]} — ")


def test_every_legal_maximum_bounds_by_what_the_law_says(knowledge: Knowledge) -> None:
    by_name = {
        knowledge.concepts[iri].label: limits for iri, limits in knowledge.legal_maxima.items()
    }
    assert [m.percent for m in by_name["Phenoxyethanol"]] == [1.0]
    assert sorted(m.percent for m in by_name["Sodium Benzoate"]) == [0.5, 2.5]
    # Annex V caps these only as preservatives; Annex III allows other uses at more
    assert [m.only_as_preservative for m in by_name["Benzyl Alcohol"]] == [True]
    assert sorted((m.percent, m.only_as_preservative) for m in by_name["Salicylic Acid"]) == [
        (0.5, True),
        (2.0, False),  # most leave-on products
        (3.0, False),  # rinse-off hair products
    ]
    assert len(knowledge.legal_maxima) >= 100
