"""What an answer says besides its verdicts: how each name was read, what was set aside,
what the list does not show, and what the sources disagree on. graph/engine.py decides."""

from __future__ import annotations

from graph.index import Knowledge
from graph.tokens import normalize_name
from graph.translate import english_forms
from graph.verdicts import Assessment, IngredientResult


def unseen_notes(cut_short: str | None, front_name: str | None) -> list[str]:
    """Why the label does not show every ingredient: a list that says it goes on, or a
    product's name from the front of its pack."""
    if cut_short is not None:
        why = f"The list is cut short ('{cut_short}')"
    elif front_name is not None:
        why = f"'{front_name}' reads like the product's name on the front of its pack"
    else:
        return []
    return [
        f"{why}: we cannot see every ingredient, so we cannot say the product is okay. Paste "
        "the full list from the package."
    ]


def assumed_notes(assumed: tuple[Assessment, ...]) -> list[str]:
    return [
        f"We assumed this is a {a.subject.label.lower()}: on this day anything put on the skin "
        "can be pushed into it. If your clinic gave you this product, say so and we will not "
        "count it."
        for a in assumed
    ]


def set_aside_notes(texts: tuple[str, ...]) -> list[str]:
    if not texts:
        return []
    shown = "; ".join(f"'{text[:80]}{'…' if len(text) > 80 else ''}'" for text in texts[:5])
    more = f" and {len(texts) - 5} more" if len(texts) > 5 else ""
    return [
        f"Read as text about the product, not as ingredients: {shown}{more}. Names in a "
        "'free of' claim are not counted; a name a highlight mentions is."
    ]


def passing_notes(passing: list[tuple[str, Assessment]]) -> list[str]:
    return [_passing_note(text, found) for text, found in passing]


def _passing_note(text: str, found: Assessment) -> str:
    until = "" if found.ok_from_day is None else f" until day {found.ok_from_day - 1}"
    if found.subject.kind == "class":
        return (
            f"The label says the product contains {text}, but its list names no "
            f"{found.subject.label} we know: that family is {found.level.value}{until}. "
            "Check the full list on the pack (team default)."
        )
    if found.subject.kind == "pattern":
        return (
            f"The text about the product speaks of a {found.subject.label} ('{text}'), which its "
            f"list does not hold: if the product contains one, it is {found.level.value}{until}. "
            "The text alone cannot tell us (team default), so check the full list on the pack."
        )
    return (
        f"The text about the product names {text}, which its list does not hold: if the "
        f"product contains it, it is {found.level.value}{until}. The text alone cannot tell us "
        "(team default), so check the full list on the pack."
    )


def notes(
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
    notes.extend(subject_notes(assessments))
    notes.extend(readings or ())
    notes.append("This is not medical advice: follow your clinician's instructions.")
    return notes


def recognition_notes(knowledge: Knowledge, results: list[IngredientResult]) -> list[str]:
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
            and normalize_name(found.read_as or "")
            in {normalize_name(form) for form in english_forms(found.token.text)}
        ):
            notes.append(
                f"{found.token.text!r} is read as {ingredient.label}: its INCI name, written in "
                "another language."
            )
        elif (
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
        short = knowledge.names.get(normalize_name(found.read_as or ""))
        if (
            found.match == "pattern"
            and found.ingredient
            and short
            and short.iri in knowledge.short_for
        ):
            listed = knowledge.concepts[short.iri]
            notes.append(
                f"In a list of ingredients, {found.token.text!r} is the INCI name of "
                f"{(listed.alt_labels or (listed.label,))[0]}; alone or with a strength it "
                f"usually means {found.ingredient.label}, and we read it so (team default)."
            )
        elif found.match == "pattern" and found.ingredient is not None:
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


def role_notes(results: list[IngredientResult]) -> list[str]:
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


def subject_notes(assessments: list[Assessment]) -> list[str]:
    """Each subject's disagreement once, in subject order; then the hour notes."""
    disagreements: dict[str, str] = {}
    for assessment in assessments:
        disagreements.update(assessment.disagreements)
    hours = dict.fromkeys(a.hour_note for a in assessments if a.hour_note is not None)
    return [disagreements[subject] for subject in sorted(disagreements)] + list(hours)
