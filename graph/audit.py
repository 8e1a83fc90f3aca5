"""What `flask validate` prints: what the knowledge holds, its team decisions and team
defaults, and where a procedure's sources disagree."""

from __future__ import annotations

from graph.index import Knowledge
from graph.model import KINDS, NO_END, Procedure, Rule, okay_days


def conflicts(knowledge: Knowledge, procedure: Procedure) -> list[str]:
    """Where the procedure's sources disagree on a subject: restriction length or verdict."""
    by_subject: dict[str, list[Rule]] = {}
    for rule in procedure.rules:
        by_subject.setdefault(rule.subject, []).append(rule)
    found = []
    for subject, rules in sorted(by_subject.items()):
        label = knowledge.concepts[subject].label
        restricting = [rule for rule in rules if rule.level.restricts]
        ends = okay_days(restricting)
        if len(ends) > 1:
            finite = [end - 1 for end in ends if end is not None]  # the last restricted day
            longest = "no end" if None in ends else f"day {finite[-1]}"
            codes = ", ".join(rule.notation for rule in restricting)
            found.append(f"{label}: restricted until day {finite[0]} to {longest} ({codes})")
        clearing = [rule for rule in rules if not rule.level.restricts]
        overlapping = [
            (a, b)
            for a in restricting
            for b in clearing
            if a.from_day <= (b.until_day if b.until_day is not None else NO_END)
            and b.from_day <= (a.until_day if a.until_day is not None else NO_END)
        ]
        if overlapping:
            codes = ", ".join(sorted({f"{a.notation}/{b.notation}" for a, b in overlapping}))
            found.append(
                f"{label}: {clearing[0].level.value} and "
                f"{restricting[0].level.value} on the same days ({codes})"
            )
    return found


def counts_lines(knowledge: Knowledge) -> list[str]:
    """What the knowledge holds, one figure a line (for `flask validate`)."""
    kinds = dict.fromkeys(KINDS, 0)
    synonyms = 0
    for concept in knowledge.concepts.values():
        kinds[concept.kind] += 1
        synonyms += len(concept.alt_labels) if concept.kind == "ingredient" else 0
    lines = [
        f"procedures: {len(knowledge.procedures)}",
        f"sources: {len(knowledge.sources)}",
        f"ingredient classes: {kinds['class']}",
        f"ingredients: {kinds['ingredient']} (synonyms: {synonyms})",
        f"activities: {kinds['activity']}",
        f"product types: {kinds['product-type']}",
        f"conditions: {kinds['condition']}",
        f"name patterns: {kinds['pattern']}",
        f"triples: {knowledge.triple_count}",
    ]
    decisions = sorted(
        (source for source in knowledge.sources.values() if source.decision),
        key=lambda source: source.notation,
    )
    lines.append(f"team decisions ({len(decisions)}), each cited as 'team default':")
    lines.extend(f"  {d.notation}: {d.title} ({d.decision})" for d in decisions)
    for procedure in sorted(knowledge.procedures.values(), key=lambda p: p.id):
        lines.append(
            f"{procedure.id}: {len(procedure.rules)} rules, {len(procedure.phases)} phases, "
            f"{len(procedure.contraindications)} contraindications, "
            f"{len(procedure.warning_signs)} warning signs"
        )
        defaults = [rule.notation for rule in procedure.rules if rule.grade == "team default"]
        if defaults:
            lines.append(f"  team defaults ({len(defaults)}): {', '.join(defaults)}")
        for conflict in conflicts(knowledge, procedure):
            lines.append(f"  conflict: {conflict}")
    return lines
