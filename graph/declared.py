"""What a label says an ingredient does, printed beside or instead of its name: tables of
ingredients and their functions pasted from a shop ('Aqua | Solvent', 'Glycerin - Humectant',
'Skin Conditioning'). The words are the EU CosIng function names the knowledge holds; one
that is also an ingredient's name ('Fragrance') stays a name. Tables print them in other
forms too ('Moisturizer', 'Chelating agent') and add a few of their own ('anti-acne')."""

from __future__ import annotations

import dataclasses
import functools
import re

from graph.claims import is_claim
from graph.index import Knowledge
from graph.names import Match, match_token
from graph.tokens import Token, has_top_level_slash, normalize_name, read_token

# Between a name and what it does: a spaced dash, a bar or a colon ('Aqua - Solvent').
_BESIDE = re.compile(r"\s+[-–—|:]\s+|:\s+")
_BETWEEN_FUNCTIONS = re.compile(r"\s*(?:[/,&;]|\band\b)\s*")


@functools.cache  # a property of the (immutable) knowledge
def _functions(knowledge: Knowledge) -> frozenset[str]:
    declared = {
        normalize_name(function)
        for concept in knowledge.of_kind("ingredient")
        for function in concept.functions
    }
    # 'Skin Conditioning - Emollient' is also printed as 'Emollient'
    parts = {part for function in declared for part in function.split("-")[1:]}
    printed = {form for function in declared | parts for form in _printed_forms(function)}
    printed |= {f"cosmetic {function}" for function in declared}  # 'Cosmetic Colorant'
    printed |= _SITE_FUNCTIONS
    return frozenset(name for name in printed if name not in knowledge.names)


def _printed_forms(function: str) -> set[str]:
    """A CosIng function as tables print it too: in US spelling ('moisturizing'), as the noun
    for what does it ('moisturiser', 'emulsifier', 'exfoliant', 'chelator') and with 'agent'
    ('chelating agent', 'skin conditioning agent')."""
    forms = {function, re.sub(r"is(ing|er)\b", r"iz\1", function)}
    for form in list(forms):
        forms |= {
            re.sub(pattern, noun, form) for pattern, noun in _NOUNS if re.search(pattern, form)
        }
        if form.endswith("ing"):
            forms.add(f"{form} agent")
    return forms


# What ingredient sites print beside CosIng's functions ('skin-identical ingredient,
# moisturizer/humectant', 'abrasive/scrub', 'antimicrobial/antibacterial').
_SITE_FUNCTIONS = frozenset(
    {
        "skin-identical ingredient",
        "cell-communicating ingredient",
        "skin brightening",
        "anti-acne",
        "scrub",
        "antibacterial",
        "sunscreen",
    }
)

# The noun for what does something, from the word for doing it.
_NOUNS = (
    (r"(i[sz])ing\b", r"\1er"),  # moisturising -> moisturiser
    (r"fying\b", "fier"),  # emulsifying -> emulsifier
    (r"ating\b", "ant"),  # exfoliating -> exfoliant
    (r"ating\b", "ator"),  # chelating -> chelator
    (r"nsing\b", "nser"),  # cleansing -> cleanser
    (r"ering\b", "er"),  # buffering -> buffer
)


@functools.cache
def _function_words(knowledge: Knowledge) -> frozenset[str]:
    return frozenset(word for name in _functions(knowledge) for word in re.findall(r"[a-z]+", name))


def is_function(knowledge: Knowledge, text: str) -> bool:
    """Text that only says what an ingredient does: 'Humectant', 'Emollient / Solvent'."""
    words = re.findall(r"[a-z]+", text.lower())
    if not words or not _function_words(knowledge).issuperset(words):
        return False  # most unread text, found without normalising it
    parts = [part for part in _BETWEEN_FUNCTIONS.split(normalize_name(text)) if part]
    return bool(parts) and all(part in _functions(knowledge) for part in parts)


def slashed_name_beside_function(knowledge: Knowledge, token: Token) -> Token | None:
    """'Zorblaxin/Retinol - Solvent': the slashed name before what it does (or a claim or a
    rating), to be cut at its slashes as any other name is (graph/match.py), so that no part
    hides another."""
    if not has_top_level_slash(token.text):
        return None
    pieces = _BESIDE.split(token.text, maxsplit=1)
    if len(pieces) != 2 or not _said_of_it(knowledge, pieces[1]):
        return None
    name = read_token(pieces[0], token.conditional, token.active)
    return name if name is not None and has_top_level_slash(name.text) else None


def _said_of_it(knowledge: Knowledge, text: str) -> bool:
    """What follows a name after a dash, a bar or a colon and is no name: what it does, a
    claim or a rating ('Solvent', 'Fragrance-free', 'Low risk')."""
    return is_function(knowledge, text) or is_claim(text) or read_token(text, False) is None


def name_after_function(knowledge: Knowledge, token: Token) -> Token | None:
    """'HumectantGlycerin', 'Skin ConditioningRetinol': a table of names and functions copied
    as text glues each function to the next row's name; the name is what follows it."""
    if not token.text[:1].isupper():
        return None
    for glue in _GLUED.finditer(token.text):
        if is_function(knowledge, token.text[: glue.start()]):
            return read_token(token.text[glue.end() :], token.conditional, token.active)
    return None


# Where a word in lower case runs on into a capital: 'HumectantGlycerin'.
_GLUED = re.compile(r"(?<=[a-z]{3})(?=[A-Z])")


def without_function(knowledge: Knowledge, found: Match) -> Match:
    """An unread 'Name - Function' read as its name, when what follows is what it does, a
    claim or a rating ('Glycerin - Fragrance-free', 'Phenoxyethanol - Low risk')."""
    if found.ingredient is not None and found.match != "pattern":
        return found
    pieces = _BESIDE.split(found.token.text, maxsplit=1)
    if len(pieces) != 2 or not _said_of_it(knowledge, pieces[1]):
        return found
    name = read_token(pieces[0], found.token.conditional, found.token.active)
    if name is None:
        return found
    read = match_token(knowledge, name)
    return dataclasses.replace(read, token=found.token) if read.ingredient is not None else found
