"""The verdict: which rules of a procedure apply to a product or activity on a day."""

from __future__ import annotations

import dataclasses
import functools

from graph import answer_notes
from graph.claims import is_claim
from graph.declared import is_function, without_function
from graph.index import Knowledge
from graph.labels import MAX_LABEL_CHARS, Label, no_ingredients, read_label
from graph.match import match_tokens
from graph.model import NO_END, Concept, Level, Procedure, Rule, latest_okay_day, okay_days, worst
from graph.names import Match, match_token
from graph.order import Place, label_order
from graph.passing import families_stated, restricted_in_passing
from graph.prose import prose_subject, says_absent, speaks_of
from graph.roles import read_role
from graph.sections import is_code
from graph.tokens import PARENTHESIS, Token, normalize_name, read_token
from graph.verdicts import Assessment, DayOverview, IngredientResult, Reason, Verdict


def assess(knowledge: Knowledge, procedure: Procedure, subject: Concept, day: int) -> Assessment:
    """Worst verdict in force on the day; okay from the end of the latest restriction."""
    return _assess(knowledge, procedure.id, subject.iri, day)


# An assessment depends only on the (immutable) knowledge, the procedure, the subject and the
# day; checks ask about the same common ingredients again and again.
@functools.lru_cache(maxsize=32_768)
def _assess(knowledge: Knowledge, procedure_id: str, iri: str, day: int) -> Assessment:
    subject = knowledge.concepts[iri]
    found = knowledge.rules_for(procedure_id, subject.iri)
    for implied in subject.implies:
        found += [
            (rule, (subject.iri, *path))
            for rule, path in knowledge.rules_for(procedure_id, implied)
        ]
    reasons = [Reason(rule, path, rule.covers(day)) for rule, path in found]
    reasons.sort(
        key=lambda r: (
            not r.in_force,
            -r.rule.level.severity,
            -(r.rule.until_day if r.rule.until_day is not None else NO_END),
            r.rule.notation,
        )
    )
    level = worst([reason.rule.level for reason in reasons if reason.in_force])
    if subject.kind == "pattern" and not level.restricts:
        level = Level.UNKNOWN  # a name pattern is a hint: it may restrict, never clear
    ok_from_day = latest_okay_day([r.rule.ok_from_day for r in reasons if r.rule.level.restricts])
    return Assessment(
        subject,
        level,
        ok_from_day,
        tuple(reasons),
        _disagreements(knowledge, reasons),
        _hour_note(subject, ok_from_day, reasons),
    )


def check_product(
    knowledge: Knowledge,
    procedure_key: str,
    day: int,
    label: str,
    product_type: str | None = None,
    max_label_chars: int = MAX_LABEL_CHARS,
    from_clinic: bool = False,
) -> Verdict:
    procedure = knowledge.procedure(procedure_key)
    type_concept = type_assessment = None
    if product_type:
        type_concept = knowledge.product_type(product_type)
        type_assessment = assess(knowledge, procedure, type_concept, day)
    assumed = () if from_clinic else _assumed_types(knowledge, procedure, type_concept, day)
    read = read_label(label, max_label_chars)
    matches = match_tokens(knowledge, tuple(t for t in read.tokens if not t.mentioned))
    matches = [without_function(knowledge, found) for found in matches]  # 'Aqua - Solvent'
    spoken = [found for found in matches if _spoken_of(knowledge, found)]
    matches = [found for found in matches if found not in spoken]
    mentioned, unread, spoken_too = _mentions(
        knowledge, [t for t in read.tokens if t.mentioned], read
    )
    spoken += spoken_too
    unread += [found.token.text for found in spoken]
    aside = [m.token.text for m in matches if m.ingredient is None and _no_ingredient(knowledge, m)]
    unread += aside
    matches = [m for m in matches if m.ingredient is not None or m.token.text not in aside]
    matches = _short_names_read(knowledge, matches)
    if not matches and not mentioned:  # only codes or what ingredients do: '[PR-001331]'
        raise no_ingredients((*read.set_aside, *unread))
    places = (
        label_order(knowledge, matches, type_concept)
        if read.one_list
        else [None] * len(matches)  # several lists: no order across them (graph/order.py)
    ) + [None] * len(mentioned)
    matches += mentioned
    kept = _first_of_each(matches)
    results = [
        _result(knowledge, procedure, day, found, index + 1, places[index], type_concept, kept)
        for index, found in enumerate(matches)
        if index in kept
    ]
    assessments = [r.assessment for r in results if r.assessment] + (
        [type_assessment] if type_assessment else []
    )
    assessments += assumed
    unrecognized = tuple(r.match.token.text for r in results if r.assessment is None)
    present = {r.match.ingredient.iri for r in results if r.match.ingredient is not None}
    held = {ancestor for iri in present for ancestor in knowledge.lineage(iri)}  # its families
    passing = restricted_in_passing(knowledge, procedure, day, read.prose, present, assess)
    noted = held | {found.subject.iri for _, found in passing}
    passing += families_stated(knowledge, procedure, day, label, noted, assess)
    passing += _families_spoken_of(knowledge, procedure, day, spoken, held)
    unseen = unrecognized or read.cut_short is not None or passing or read.front_name
    levels = [a.level for a in assessments] + ([Level.UNKNOWN] if unseen else [])
    return Verdict(
        procedure=procedure,
        day=day,
        level=worst(levels),
        ok_from_day=latest_okay_day([a.ok_from_day for a in assessments]),
        ingredients=tuple(results),
        product_type=type_assessment,
        unrecognized=unrecognized,
        notes=tuple(
            answer_notes.notes(
                assessments,
                unrecognized,
                len(results),
                answer_notes.unseen_notes(read.cut_short, read.front_name)
                + answer_notes.passing_notes(passing)
                + answer_notes.assumed_notes(assumed)
                + answer_notes.recognition_notes(knowledge, results)
                + answer_notes.role_notes(results)
                + answer_notes.set_aside_notes((*read.set_aside, *unread)),
            )
        ),
        set_aside=(*read.set_aside, *unread),
        assumed=assumed,
        cut_short=read.cut_short,
        in_passing=tuple(passing),
    )


# A name that also shortens a restricted family's ('BHA'): the ingredient among this many
# names or more, the family's name alone, beside one other name or with a strength (decision 028).
SHORT_NAME_LIST = 3


def _short_names_read(knowledge: Knowledge, matches: list[Match]) -> list[Match]:
    named = sum(found.ingredient is not None for found in matches)
    return [
        Match(found.token, knowledge.concepts[family], "pattern", found.read_as)
        if found.ingredient is not None
        and found.match in ("exact", "synonym")
        and (family := knowledge.short_for.get(found.ingredient.iri)) is not None
        and normalize_name(found.token.text) == normalize_name(found.ingredient.label)
        and (named < SHORT_NAME_LIST or found.token.percent is not None)
        else found
        for found in matches
    ]


def _assumed_types(
    knowledge: Knowledge, procedure: Procedure, product_type: Concept | None, day: int
) -> tuple[Assessment, ...]:
    """Product types assumed for this product unless the user says otherwise (a leave-on
    product not from the clinic), kept only on a day one of their rules is in force."""
    lineage = knowledge.lineage(product_type.iri) if product_type is not None else {}
    found = []
    for iri, kind in sorted(knowledge.assumed_types.items()):
        if product_type is not None and kind not in lineage:
            continue
        assessment = assess(knowledge, procedure, knowledge.concepts[iri], day)
        if any(reason.in_force for reason in assessment.reasons):
            found.append(assessment)
    return tuple(found)


def _no_ingredient(knowledge: Knowledge, found: Match) -> bool:
    """A formula or batch code ('[PR-001331]'), or what an ingredient does ('Humectant')."""
    return is_code(found.token.text) or is_function(knowledge, found.token.text)


def _mentions(
    knowledge: Knowledge, tokens: list[Token], read: Label
) -> tuple[list[Match], list[str], list[Match]]:
    """Names a blurb, a sentence or a preamble mentions count as present when they are listed
    names, or fall in a restricted family by name ('Retinol Complex'); a family that copy
    speaks of is returned third; the rest is marketing text, shown once ('Suitable' is in
    'Suitable for sensitive skin')."""
    kept, unread, spoken = [], [], []
    for token in tokens:
        if is_claim(token.text):  # a title that claims an absence: 'Retinol-free: gentle …'
            unread.append(token.text)
            continue
        found = match_token(knowledge, token)
        if _spoken_of(knowledge, found):
            spoken.append(found)
        elif found.match in ("exact", "synonym") or _family(knowledge, found):
            kept.append(found)
        elif not any(token.text in text for text in read.set_aside):
            unread.append(token.text)
    return kept, unread, spoken


def _family(knowledge: Knowledge, found: Match) -> bool:
    return found.match == "pattern" and any(
        pattern.family and pattern.concept == found.ingredient for pattern in knowledge.patterns
    )


def _spoken_of(knowledge: Knowledge, found: Match) -> bool:
    """A family's name in copy ('Post-Retinol Recovery Cream', 'Buffer for your retinol'): it
    names no ingredient the product holds, nor one it surely lacks. Not when the words open
    with the family's name ('Retinol in Squalane', 'Encapsulated Retinol (in Squalane)')."""
    text = PARENTHESIS.sub(" ", found.token.text)
    if not _family(knowledge, found) or not speaks_of(text):
        return False
    subject = prose_subject(text)
    opening = read_token(subject, found.token.conditional) if subject else None
    if opening is None:
        return True
    named = match_token(knowledge, opening)
    return named.match not in ("exact", "synonym") and not _family(knowledge, named)


def _families_spoken_of(
    knowledge: Knowledge, procedure: Procedure, day: int, spoken: list[Match], held: set[str]
) -> list[tuple[str, Assessment]]:
    """The restricted families copy speaks of, as names in passing (decision 026): unless it
    sets the product against them ('Inspired by retinol') or the list holds one of them
    (`held`: the classes of what it holds)."""
    found = []
    for match in spoken:
        family = match.ingredient
        if family is None or says_absent(match.token.text) or held & set(family.broader):
            continue
        assessment = assess(knowledge, procedure, family, day)
        if assessment.level.restricts:
            found.append((match.token.text, assessment))
    return found


def _result(
    knowledge: Knowledge,
    procedure: Procedure,
    day: int,
    found: Match,
    position: int,
    place: Place | None,
    product_type: Concept | None,
    kept: dict[int, Match],
) -> IngredientResult:
    ingredient = found.ingredient
    bound = place.bound if place is not None else None
    if ingredient is None:
        return IngredientResult(found, None, position, bound)
    role = knowledge.trace_roles.get(ingredient.iri) if found.match != "pattern" else None
    if role is None:
        return IngredientResult(
            found, assess(knowledge, procedure, ingredient, day), position, bound
        )
    others = {
        cls
        for other in kept.values()
        if other.ingredient is not None and other.ingredient.iri != ingredient.iri
        for cls in knowledge.lineage(other.ingredient.iri)
    }
    reading = read_role(knowledge, role, place, product_type, others, found.token.percent)
    if reading.assumed:
        assessment = assess(knowledge, procedure, knowledge.concepts[role.role_class], day)
    else:
        assessment = assess(knowledge, procedure, ingredient, day)
        if reading.cap is not None and assessment.level.severity > reading.cap.severity:
            assessment = dataclasses.replace(assessment, level=reading.cap)
    return IngredientResult(found, assessment, position, bound, reading)


def _first_of_each(matches: list[Match]) -> dict[int, Match]:
    """One line per ingredient: 'WATER' and 'AQUA' on the same label are the same thing."""
    seen: set[str] = set()
    kept = {}
    for index, found in enumerate(matches):
        if found.ingredient is not None and found.ingredient.kind == "ingredient":
            if found.ingredient.iri in seen:
                continue
            seen.add(found.ingredient.iri)
        kept[index] = found
    return kept


def day_overview(knowledge: Knowledge, procedure_key: str, day: int) -> DayOverview:
    """Every activity, ingredient class and product type the procedure has rules on."""
    procedure = knowledge.procedure(procedure_key)

    def of_kind(kind: str) -> tuple[Assessment, ...]:
        found = [
            assess(knowledge, procedure, concept, day)
            for concept in knowledge.of_kind(kind)
            if knowledge.rules_for(procedure.id, concept.iri)
        ]
        return tuple(sorted(found, key=lambda a: (-a.level.severity, a.subject.label.lower())))

    activities, classes, types = of_kind("activity"), of_kind("class"), of_kind("product-type")
    notes = answer_notes.notes([*activities, *classes, *types], (), 0)
    return DayOverview(procedure, day, activities, classes, types, tuple(notes))


def _disagreements(knowledge: Knowledge, reasons: list[Reason]) -> tuple[tuple[str, str], ...]:
    """Where sources give different restriction windows for the same subject, say so."""
    by_subject: dict[str, list[Rule]] = {}
    for reason in reasons:
        by_subject.setdefault(reason.rule.subject, []).append(reason.rule)
    notes = []
    for subject, rules in sorted(by_subject.items()):
        ends = okay_days(rules)
        if len(ends) < 2:
            continue
        label = knowledge.concepts[subject].label
        finite = [end for end in ends if end is not None]
        latest = "never for this procedure" if None in ends else f"from day {finite[-1]}"
        notes.append(
            (
                subject,
                f"Sources differ on {label}: restricted until day {finite[0] - 1} to "
                f"{'no end' if None in ends else f'day {finite[-1] - 1}'} depending on the "
                f"source. We follow the most cautious: okay {latest}.",
            )
        )
    return tuple(notes)


def _hour_note(subject: Concept, ok_from_day: int | None, reasons: list[Reason]) -> str | None:
    deciding = [
        r.rule for r in reasons if r.rule.level.restricts and r.rule.ok_from_day == ok_from_day
    ]
    if not deciding or not all(rule.hours for rule in deciding):
        return None
    hours = max(rule.hours or 0 for rule in deciding)
    return (
        f"{subject.label}: okay from day {ok_from_day} once the full {hours} hours have "
        "passed since the procedure."
    )
