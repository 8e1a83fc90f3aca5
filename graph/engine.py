"""The verdict: which rules of a procedure apply to a product or activity on a day."""

from __future__ import annotations

import dataclasses
import functools

from graph.declared import is_function, without_function
from graph.index import Knowledge
from graph.labels import MAX_LABEL_CHARS, Label, no_ingredients, read_label
from graph.match import match_tokens
from graph.model import NO_END, Concept, Level, Procedure, Rule, latest_okay_day, okay_days, worst
from graph.names import Match, match_token
from graph.order import Place, label_order
from graph.passing import restricted_in_passing
from graph.roles import read_role
from graph.sections import is_code
from graph.tokens import Token, normalize_name
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
    mentioned, unread = _mentions(knowledge, [t for t in read.tokens if t.mentioned], read)
    aside = [m.token.text for m in matches if m.ingredient is None and _no_ingredient(knowledge, m)]
    unread += aside
    matches = [m for m in matches if m.ingredient is not None or m.token.text not in aside]
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
    passing = restricted_in_passing(knowledge, procedure, day, read.prose, present, assess)
    unseen = unrecognized or read.cut_short is not None or passing
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
            _notes(
                assessments,
                unrecognized,
                len(results),
                _cut_short_notes(read.cut_short)
                + _passing_notes(passing)
                + _assumed_notes(assumed)
                + _recognition_notes(knowledge, results)
                + _role_notes(results)
                + _set_aside_notes((*read.set_aside, *unread)),
            )
        ),
        set_aside=(*read.set_aside, *unread),
        assumed=assumed,
        cut_short=read.cut_short,
        in_passing=tuple(passing),
    )


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


def _cut_short_notes(marker: str | None) -> list[str]:
    if marker is None:
        return []
    return [
        f"The list is cut short ('{marker}'): we cannot see every ingredient, so we cannot say "
        "the product is okay. Paste the full list from the package."
    ]


def _assumed_notes(assumed: tuple[Assessment, ...]) -> list[str]:
    return [
        f"We assumed this is a {a.subject.label.lower()}: on this day anything put on the skin "
        "can be pushed into it. If your clinic gave you this product, say so and we will not "
        "count it."
        for a in assumed
    ]


def _set_aside_notes(texts: tuple[str, ...]) -> list[str]:
    if not texts:
        return []
    shown = "; ".join(f"'{text[:80]}{'…' if len(text) > 80 else ''}'" for text in texts[:5])
    more = f" and {len(texts) - 5} more" if len(texts) > 5 else ""
    return [
        f"Read as text about the product, not as ingredients: {shown}{more}. Names in a "
        "'free of' claim are not counted; a name a highlight mentions is."
    ]


def _passing_notes(passing: list[tuple[str, Assessment]]) -> list[str]:
    return [
        f"The text about the product names {text}, which its list does not hold: if the "
        f"product contains it, it is {found.level.value}"
        + ("" if found.ok_from_day is None else f" until day {found.ok_from_day - 1}")
        + ". The text alone cannot tell us (team default), so check the full list on the pack."
        for text, found in passing
    ]


def _no_ingredient(knowledge: Knowledge, found: Match) -> bool:
    """A formula or batch code ('[PR-001331]'), or what an ingredient does ('Humectant')."""
    return is_code(found.token.text) or is_function(knowledge, found.token.text)


def _mentions(
    knowledge: Knowledge, tokens: list[Token], read: Label
) -> tuple[list[Match], list[str]]:
    """Names a blurb, a sentence or a preamble mentions count as present when they are listed
    names, or fall in a restricted family by name ('Retinol Complex'); the rest is marketing
    text, shown once ('Suitable' is in 'Suitable for sensitive skin')."""
    kept, unread = [], []
    for token in tokens:
        found = match_token(knowledge, token)
        family = found.match == "pattern" and any(
            pattern.family and pattern.concept == found.ingredient for pattern in knowledge.patterns
        )
        if found.match in ("exact", "synonym") or family:
            kept.append(found)
        elif not any(token.text in text for text in read.set_aside):
            unread.append(token.text)
    return kept, unread


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
    reading = read_role(knowledge, role, place, product_type, others)
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
    notes = _notes([*activities, *classes, *types], (), 0)
    return DayOverview(procedure, day, activities, classes, types, tuple(notes))


def _notes(
    assessments: list[Assessment],
    unrecognized: tuple[str, ...],
    total: int,
    readings: list[str] | None = None,
) -> list[str]:
    notes = ["Day 0 is the day of the procedure; day ranges include their first and last day."]
    if unrecognized and total == 1:
        notes.append(
            "This does not look like an ingredient list: paste the list of ingredients from "
            "the product's package or page, separated by commas."
        )
    elif unrecognized:
        known = total - len(unrecognized)
        notes.append(
            f"We recognise {known} of {total} ingredients. We don't know: "
            f"{', '.join(unrecognized)} — so we cannot say the product is okay; "
            "ask your clinician or pharmacist about them."
        )
    notes.extend(_subject_notes(assessments))
    notes.extend(readings or ())
    notes.append("This is not medical advice: follow your clinician's instructions.")
    return notes


def _recognition_notes(knowledge: Knowledge, results: list[IngredientResult]) -> list[str]:
    """Say how a name was read whenever it was not found as written, or when its name
    rather than a list placed it in a restricted family."""
    notes = []
    for result in results:
        found = result.match
        ingredient = found.ingredient
        written = {normalize_name(candidate) for candidate in found.token.candidates}
        if (
            found.match == "synonym"
            and ingredient
            and normalize_name(found.read_as or "") not in written
        ):
            notes.append(
                f"{found.token.text!r} names no plant part; the lists hold one kind of "
                f"ingredient for it, so we read it as {ingredient.label}."
            )
        elif found.match == "synonym" and found.read_as is not None:
            hit = knowledge.names.get(normalize_name(found.read_as))
            if hit is not None and hit.table is not None and ingredient is not None:
                kind = knowledge.name_tables.get(hit.table, "other name")
                notes.append(f"{found.token.text!r} ({kind}) is read as {ingredient.label}.")
        if found.match in ("exact", "synonym") and ingredient is not None and ingredient.families:
            families = ", ".join(
                knowledge.concepts[cls].label
                for family in ingredient.families
                for cls in knowledge.concepts[family].broader
            )
            notes.append(
                f"{ingredient.label} is counted by its name as: {families}, whatever other "
                "functions ingredient lists give it."
            )
        if found.match == "pattern" and found.ingredient is not None:
            notes.append(
                f"{found.token.text!r} is not in our lists; by its name it looks like: "
                f"{found.ingredient.label}. Its restrictions apply, but we cannot "
                "call it okay."
            )
        elif found.match == "fuzzy" and found.ingredient is not None:
            notes.append(
                f"We read {found.token.text!r} as {found.ingredient.label} "
                f"(similarity {found.score:.0f}/100); check the spelling."
            )
        elif found.ambiguous:
            options = " or ".join(concept.label for concept in found.ambiguous)
            notes.append(
                f"{found.token.text!r} is as close to {options}, which are "
                "different kinds of ingredient, so we did not guess."
            )
    return notes


def _role_notes(results: list[IngredientResult]) -> list[str]:
    """Say how each dual-use ingredient was read, and why."""
    notes = []
    for result in results:
        reading = result.reading
        if reading is None:
            continue
        name = result.match.token.text
        if reading.assumed:
            notes.append(f"{name} is read as a {reading.role.label}: {reading.reason}.")
        elif reading.cap is not None:
            notes.append(
                f"{name} may be a {reading.role.label} or an active: {reading.reason}; "
                f"we say {reading.cap.value} rather than avoid."
            )
        else:
            notes.append(
                f"{name} is read as an active, not a {reading.role.label}: {reading.reason}."
            )
    return notes


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


def _subject_notes(assessments: list[Assessment]) -> list[str]:
    """Each subject's disagreement once, in subject order; then the hour notes."""
    disagreements: dict[str, str] = {}
    for assessment in assessments:
        disagreements.update(assessment.disagreements)
    hours = dict.fromkeys(a.hour_note for a in assessments if a.hour_note is not None)
    return [disagreements[subject] for subject in sorted(disagreements)] + list(hours)
