"""A label's tokens read as names: separated where one token holds several names, rejoined
where a stray separator broke one, and each read by graph/names.py."""

from __future__ import annotations

import dataclasses
import functools
import re
import time

from graph.declared import name_after_function, slashed_name_beside_function
from graph.index import Knowledge
from graph.names import Match, by_list, listed_match, match_token, names_the_same, not_read
from graph.plants import restricting
from graph.tokens import (
    PARENTHESIS,
    Token,
    bracket_contents,
    has_top_level_slash,
    join_tokens,
    normalize_name,
    one_plants_parts,
    read_token,
    run_units,
    slash_parts,
    split_top_level_slashes,
)

FUZZY_BUDGET_SECONDS = 0.25  # spelling guesses one label may spend; past it, names stay unknown


def match_tokens(knowledge: Knowledge, tokens: tuple[Token, ...]) -> list[Match]:
    """Match every token; names a token holds are separated, a name broken in two rejoined."""
    tokens = _slash_names_rejoined(knowledge, tokens)
    tokens = tuple(part for token in tokens for part in separate(knowledge, token))
    started = time.perf_counter()
    singles = []
    for token in tokens:
        # Past the budget no name is guessed from its spelling: an unread name stays unknown,
        # which is never 'okay', and a label of thousands of unknown words still answers.
        guess = time.perf_counter() - started < FUZZY_BUDGET_SECONDS
        singles.append(match_token(knowledge, token, guess=guess))
    tokens, singles = _read_runs_with_slips(knowledge, tokens, singles, started)
    listed = [by_list(found) for found in singles]
    matches: list[Match] = []
    index = 0
    while index < len(tokens):
        if index + 1 < len(tokens) and not (listed[index] and listed[index + 1]):
            both = join_tokens(tokens[index], tokens[index + 1])
            joined = _listed_join(knowledge, tokens[index].text, tokens[index + 1].text, both)
            if joined is None and not_read(singles[index]) and not_read(singles[index + 1]):
                # two unread neighbours may be one misspelt name ('Sodium Lauroyl, Sarcosinat')
                within = time.perf_counter() - started < FUZZY_BUDGET_SECONDS
                guessed = match_token(knowledge, both, guess=within)
                joined = guessed if guessed.match == "fuzzy" else None
            if joined is not None:
                matches.append(joined)
                index += 2
                continue
        matches.append(singles[index])
        index += 1
    return matches


def _listed_join(knowledge: Knowledge, first: str, second: str, both: Token) -> Match | None:
    """Two neighbours that are one listed name as a whole. Only as a whole: a part of it
    ('Aqua' in 'Water (Aqua) Zorblaxin') would swallow the unknown neighbour."""
    names = [both.text]
    if "(" in first:  # 'Citrus Aurantium Amara (Bitter Orange), Leaf/Twig Oil': the plant's
        # parts after its name without the bracket ('[BI 722]' keeps its own)
        names.append(f"{' '.join(PARENTHESIS.sub(' ', first).split())} {second}")
    joined = listed_match(knowledge, both, names)
    if joined is not None or " " in first:
        return joined
    # 'Coco, Betaine' lost its hyphen: one lookup, the joined name already normalised
    hit = knowledge.names.get(normalize_name(both.text).replace(" ", "-", 1))
    if hit is None:
        return None
    return Match(both, knowledge.concepts[hit.iri], hit.match, f"{first}-{second}")


def _slash_names_rejoined(knowledge: Knowledge, tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """A name with slashes that a stray comma cut made whole again before its slashes are
    read: when it is listed whole ('Acrylates/C10-30 Alkyl Acrylate, Crosspolymer'), or an
    unlisted word joined to the first name after it is listed ('Helianthus, Annuus Seed
    Oil/Sunflower Seed Oil')."""
    joined: list[Token] = []
    index = 0
    while index < len(tokens):
        if index + 1 < len(tokens) and _cut_before_slashes(knowledge, *tokens[index : index + 2]):
            joined.append(join_tokens(tokens[index], tokens[index + 1]))
            index += 2
            continue
        joined.append(tokens[index])
        index += 1
    return tuple(joined)


def _cut_before_slashes(knowledge: Knowledge, first: Token, second: Token) -> bool:
    if has_top_level_slash(first.text):
        both = join_tokens(first, second)
        return listed_match(knowledge, both, (both.text,)) is not None
    if not has_top_level_slash(second.text) or listed_match(knowledge, first, first.candidates):
        return False
    head = read_token(split_top_level_slashes(second.text)[0], second.conditional)
    if head is None:
        return False
    both = join_tokens(first, head)
    return listed_match(knowledge, both, (both.text,)) is not None


@functools.lru_cache(maxsize=16_384)
def separate(knowledge: Knowledge, token: Token) -> tuple[Token, ...]:
    """The names a token holds. A listed name as a whole stays whole; names of different
    ingredients between slashes all count ('Glycerin/Retinol'); otherwise a token is cut
    into listed names when it is exactly a run of them ('Zinc OxideWater', 'Ceteareth-20 and
    Cetearyl Alcohol', 'Aqua (Water) Retinol'), fewest names first; else it stays whole."""
    named = slashed_name_beside_function(knowledge, token) or name_after_function(knowledge, token)
    if named is not None:  # 'Zorblaxin/Retinol - Solvent', 'HumectantGlycerin'
        return separate(knowledge, named)
    whole = match_token(knowledge, token, guess=False)
    parts = _slash_names(knowledge, token) if has_top_level_slash(token.text) else ()
    if one_plants_parts([part.text for part in parts]):  # 'Sage Flower/Leaf/Stem Extract'
        parts = ()  # one name
    # A listed name holding slashes read whole stays whole, unless it was read from a bracket:
    # 'Retinol/Ocimum Basilicum Flower/Leaf Extract (Basil Flower/Leaf Extract)' hid Retinol.
    slashed_name = bool(whole.read_as and has_top_level_slash(whole.read_as))
    if len(parts) > 1 and not (slashed_name and not _read_from_bracket(token, whole)):
        read = [match_token(knowledge, part, guess=False) for part in parts]
        # A label may name one thing twice: in another language ('Sea Salt/Sel Marin'), in
        # an older spelling ('Capryl Glycol/Caprylyl Glycol') or by the plant's common name
        # ('Brassica Campestris Seed Oil/Rapeseed Seed Oil'); any other unread part counts.
        unread = [f.token for f in read if f.ingredient is None or _hint(knowledge, f)]
        known = [f.read_as for f in read if f.read_as is not None and not _hint(knowledge, f)]
        translations = [part for part in unread if names_the_same(part.text, known)]
        ingredients = {
            found.ingredient.iri
            for found in read
            if found.ingredient is not None and found.token not in translations
        }
        if not ingredients or (len(ingredients) == 1 and len(translations) == len(unread)):
            if whole.ingredient is None or whole.ingredient.iri in ingredients or not ingredients:
                return (token,)
            # One ingredient named twice, its listed name holding a slash ('Dimethicone/Vinyl
            # Dimethicone Crosspolymer/Dimethicone/…'): read as it, not as its first word.
            named = next(f.token for f in read if f.ingredient and f.ingredient.iri in ingredients)
            return (dataclasses.replace(token, candidates=(*named.candidates, *token.candidates)),)
        return tuple(
            p for part in parts if part not in translations for p in separate(knowledge, part)
        )
    if by_list(whole) and not _read_from_bracket(token, whole):
        return _bracket_naming_another(knowledge, token, whole)
    # 'Vitamin A. Acetyl Glucosamine (N-Acetyl Glucosamine)': the bracket names only the last
    run = _listed_run(knowledge, token)
    if run:  # each name of the run separated in turn: 'Zorblaxin/Polyquaternium-11. sh-…'
        return tuple(p for piece in run for p in separate(knowledge, piece))
    # A full stop inside a token ends a name ('Mexoryl SX. Zorblaxin'): a listed name before or
    # after it counts, whatever the other side is.
    pieces = (
        read_token(piece, token.conditional, token.active) for piece in _STOP.split(token.text)
    )
    found = [piece for piece in pieces if piece is not None]
    if len(found) > 1 and any(by_list(match_token(knowledge, part, guess=False)) for part in found):
        return tuple(p for part in found for p in separate(knowledge, part))
    return (token,)


def _slash_names(knowledge: Knowledge, token: Token) -> tuple[Token, ...]:
    """The parts between a token's slashes, a listed name that holds slashes kept whole:
    'Hydroxyethyl Acrylate/Sodium Acryloyldimethyl Taurate Copolymer/Zorblaxin' is two names."""
    parts = slash_parts(token)
    names: list[Token] = []
    start = 0
    most, longest, firsts = _slash_names_known(knowledge)
    while start < len(parts):
        end = start + 1  # a listed name that holds slashes starts with one of its first parts
        if normalize_name(parts[start].text) in firsts:
            text = parts[start].text
            for stop in range(start + 1, min(len(parts), start + most)):
                text += "/" + parts[stop].text
                if len(text) > longest:
                    break
                if normalize_name(text) in knowledge.names:
                    end = stop + 1  # the longest run that is a listed name
        text = "/".join(part.text for part in parts[start:end])
        joined = read_token(text, token.conditional, token.active)
        names.append(joined if joined is not None and end > start + 1 else parts[start])
        start = end
    return tuple(names)


@functools.cache  # a property of the (immutable) knowledge
def _slash_names_known(knowledge: Knowledge) -> tuple[int, int, frozenset[str]]:
    """The most parts and characters a listed name holds with its slashes, and the first
    parts of those names: only a run starting with one, and no longer, is tried as a name (a
    token of 2,000 slashes took minutes)."""
    slashed = [name for name in knowledge.names if "/" in name]
    most = 1 + max((name.count("/") for name in slashed), default=0)
    longest = 2 * max((len(name) for name in slashed), default=0)  # as written: spaces, case
    return most, longest, frozenset(normalize_name(name.split("/")[0]) for name in slashed)


_STOP = re.compile(r"(?<=[A-Za-z0-9)\]])\.\s+(?=\S)")


def _hint(knowledge: Knowledge, found: Match) -> bool:
    """Read only by a name pattern that restricts nothing: a guess at a kind, not a name."""
    return (
        found.match == "pattern"
        and found.ingredient is not None
        and not restricting(knowledge, found.ingredient.iri)
    )


def _bracket_naming_another(knowledge: Knowledge, token: Token, whole: Match) -> tuple[Token, ...]:
    """A closing bracket holding the INCI name of a restricted family's member that the name
    before it is not in names a second ingredient ('Squalane (Retinol)' hid a retinoid). A
    bracket that glosses the name stays with it: another name of the same ('Aqua (Water)',
    'Solum Diatomeae (Diatomaceous Earth)') or a vitamin's common name ('Retinyl Palmitate
    (Vitamin A)', 'Kakadu Plum Extract (Vitamin C)': a synonym, not an INCI name)."""
    inner = bracket_contents(token.text)
    if whole.ingredient is None or not inner or not _closes_with(token.text, inner[-1]):
        return (token,)
    bracketed = read_token(inner[-1], token.conditional, token.active)
    found = None if bracketed is None else match_token(knowledge, bracketed, guess=False)
    if found is None or found.match != "exact" or found.ingredient is None:
        return (token,)
    lineage = set(knowledge.lineage(found.ingredient.iri))
    families = lineage & _family_classes(knowledge) - set(knowledge.lineage(whole.ingredient.iri))
    if not any(restricting(knowledge, family) for family in families):
        return (token,)
    outer = read_token(PARENTHESIS.sub(" ", token.text), token.conditional, token.active)
    return (token,) if outer is None else (outer, found.token)


@functools.cache  # a property of the (immutable) knowledge
def _family_classes(knowledge: Knowledge) -> frozenset[str]:
    """The classes of the name families (retinoids, AHAs, BHAs, vitamin C, …)."""
    return frozenset(
        cls for pattern in knowledge.patterns if pattern.family for cls in pattern.concept.broader
    )


def _closes_with(text: str, inner: str) -> bool:
    """The token ends with this bracket, and it is not inside another one."""
    closing = re.search(r"[(\[]([^()\[\]]*)[)\]]\s*$", text)
    return (
        closing is not None
        and " ".join(closing.group(1).split()) == inner
        and (text[: closing.start()].count("(") == text[: closing.start()].count(")"))
    )


def _read_from_bracket(token: Token, found: Match) -> bool:
    """Read as what a bracket holds ('… (N-Acetyl Glucosamine)'): the words before it may be
    other names, and are tried as a run of them."""
    return found.read_as is not None and found.read_as in bracket_contents(token.text)


def _read_runs_with_slips(
    knowledge: Knowledge, tokens: tuple[Token, ...], singles: list[Match], started: float
) -> tuple[tuple[Token, ...], list[Match]]:
    """An unread token that is a run of names, one of them misspelt ('cellulose glycerl
    stearate', 'glycerin and xantham gum'): each name read, the slip with its score."""
    out_tokens: list[Token] = []
    out_matches: list[Match] = []
    for token, found in zip(tokens, singles, strict=True):
        within = time.perf_counter() - started < FUZZY_BUDGET_SECONDS
        run = _slipped_run(knowledge, token) if found.match is None and within else None
        if run:
            out_tokens.extend(match.token for match in run)
            out_matches.extend(run)
        else:
            out_tokens.append(token)
            out_matches.append(found)
    return tuple(out_tokens), out_matches


_MAX_SLIP_UNITS = 6  # longer runs of words are not worth guessing in


@functools.lru_cache(maxsize=4_096)
def _slipped_run(knowledge: Knowledge, token: Token) -> tuple[Match, ...] | None:
    """The fewest names covering the token, all listed but one long enough to hold a slip;
    that one is then read by its spelling. Only the best cover is tried: a guess per token."""
    units = run_units(token.text)
    if not 2 <= len(units) <= _MAX_SLIP_UNITS:
        return None
    # best[end]: (guesses, names, pieces) over units[:end]; a piece is (token, listed read)
    best: list[tuple[int, int, tuple[tuple[Token, Match | None], ...]] | None]
    best = [None] * (len(units) + 1)
    best[0] = (0, 0, ())
    for end in range(1, len(units) + 1):
        for start in range(end):
            before = best[start]
            if before is None:
                continue
            if units[start].casefold() in _CONNECTORS and start > 0 and end == start + 1:
                candidate = before
            else:
                piece = read_token(" ".join(units[start:end]), token.conditional, token.active)
                if piece is None:
                    continue
                read = match_token(knowledge, piece, guess=False)
                if by_list(read):
                    candidate = (before[0], before[1] + 1, (*before[2], (piece, read)))
                elif (
                    len(piece.text) >= 10
                    and end - start <= 4
                    and before[0] == 0
                    and end - start < len(units)  # the whole token was guessed at already
                    # 'and' joins, names nothing: no guess starts or ends with it
                    and units[start].casefold() not in _CONNECTORS
                    and units[end - 1].casefold() not in _CONNECTORS
                ):
                    candidate = (1, before[1] + 1, (*before[2], (piece, None)))
                else:
                    continue
            current = best[end]
            if current is None or candidate[:2] < current[:2]:
                best[end] = candidate
    found = best[-1]
    if found is None or found[0] != 1 or found[1] < 2 or units[-1].casefold() in _CONNECTORS:
        return None
    reads = []
    for part, listed in found[2]:
        guessed = listed or match_token(knowledge, part)  # the one guess
        if guessed.match not in ("exact", "synonym", "fuzzy"):
            return None
        reads.append(guessed)
    return tuple(reads)


_MAX_RUN_UNITS = 16  # longer text is prose or a chemical name, not glued names
_CONNECTORS = frozenset({"and", "&", "+"})


def _listed_run(knowledge: Knowledge, token: Token) -> tuple[Token, ...] | None:
    """The fewest listed names whose run is exactly the token, connectors aside."""
    units = run_units(token.text)
    if not 2 <= len(units) <= _MAX_RUN_UNITS:
        return None
    # best[i]: the fewest names covering units[:i], as (count, names); None: impossible
    best: list[tuple[int, tuple[Token, ...]] | None] = [None] * (len(units) + 1)
    best[0] = (0, ())
    for end in range(1, len(units) + 1):
        for start in range(end):
            before = best[start]
            if before is None:
                continue
            if units[start].casefold() in _CONNECTORS and start > 0 and end == start + 1:
                candidate = before  # 'and' between two names joins nothing
            else:
                piece = read_token(" ".join(units[start:end]), token.conditional, token.active)
                inner = bracket_contents(piece.text) if piece is not None else []
                names = [name for name in piece.candidates if name not in inner] if piece else []
                if piece is None or listed_match(knowledge, piece, names) is None:
                    continue
                candidate = (before[0] + 1, (*before[1], piece))
            current = best[end]
            if current is None or candidate[0] < current[0]:
                best[end] = candidate
    found = best[-1]
    if found is None or found[0] < 2 or units[-1].casefold() in _CONNECTORS:
        return None
    return found[1]
