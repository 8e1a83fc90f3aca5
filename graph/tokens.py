"""One token of a label: its text as written, and the names it may stand for (without its
brackets, its pharmacopoeia mark, its grade words, what its brackets hold ...); how names are
compared (normalised, OCR look-alikes folded); the parts a token holds between slashes."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_QUANTITY = re.compile(
    # '10 %', '@ 10%', '<1%', '50 ppm', pharmacy amounts ('50 mg/g', '5 g/100 g'), net contents
    # ('8fl.Oz'); not a number inside a word ('AA2G', ascorbyl glucoside's trade name)
    r"\s*\(?\s*(?:@|<|≤|~|≈|\bat\s+)?\s*(?<![\d.,A-Za-z])\d++(?:[.,]\d++)?\s*"
    r"(?:(?:%|per\s?cent\b|pct\b\.?)(?:\s*[wvm]/[wvm]\b)?"  # '5 % w/w', '0.5 Percent'
    r"|(?:ppm|(?:mg|µg|g)\s*/\s*(?:100\s*)?(?:g|ml)|mg|µg|kg|g|ml|(?:us\s+)?fl\.?\s?oz|oz)\b\.?)"
    r"\s*℮?\s*\)?",  # the EU mark of an average quantity, an e drawn large
    flags=re.IGNORECASE,
)
# 'As much as is needed' in a pharmacy's formula: 'Aqua q.s.', 'Aqua ad 100 %', 'Aqua qsp 100%'.
_SUFFICIENT = re.compile(
    r"(?i)\s+(?:q\.?\s?s\.?(?:\s?p\b\.?)?|(?=ad\s*\d))\s*(?:(?:ad|to)\s*)?"
    r"(?:\d+(?:[.,]\d+)?\s*(?:%|ml\b|g\b)?)?\s*$"
)
# US certified colours (21 CFR 74, 82): 'FD&C Yellow No. 5', 'D&C Red 7 Lake', 'Ext. D&C Violet 2'.
_US_COLOUR = re.compile(
    r"(?i)^(?:ext\.?\s*)?(?:fd&c|d&c)?\s*(?:ext(?:ernal)?\.?\s+)?(?P<hue>red|yellow|blue|green|orange|"
    r"violet|brown|black)\s*(?:no\.?|#)?\s*(?P<number>\d{1,2})(?P<lake>\s+lake)?$"
)
# Pharmacopoeia names of ethoxylates count ethylene oxide units as INCI's PEG-n and
# Ceteareth-n do (USP-NF 'Polyoxyl', Ph. Eur. 'Macrogol cetostearyl ether n'); one unit
# is ethylene glycol itself, so 'PEG-1 Stearate' is INCI's Glycol Stearate.
_PEG_NAMES = (
    (re.compile(r"(?i)^(?:peg-|polyoxyl\s+)1\s+(.+)$"), r"Glycol \1"),
    (re.compile(r"(?i)^polyoxyl\s+(\d+)\s+cetostearyl\s+ether$"), r"Ceteareth-\1"),
    (re.compile(r"(?i)^macrogol\s+cetostearyl\s+ether\s+(\d+)$"), r"Ceteareth-\1"),
    (re.compile(r"(?i)^polyoxyl\s+(\d+)\s+(.+)$"), r"PEG-\1 \2"),
)
# What follows a name without changing what it names: a pharmacopoeia's mark, an isomer,
# a formula number ('Citric Acid FORMULA #703-0'), how an oil was made ('… Peel Oil Expressed').
_NAME_SUFFIX = re.compile(
    r"(?i)(?:\s+(?:b\.?p|ph\.?\s?eur|u\.?s\.?p(?:/nf)?|e\.?p|n\.?f)\.?"
    r"|\s+(?:trans|cis)-isomer|\s+formula\s*#\s*[\w-]+"
    r"|\s+(?:cold[\s-])?(?:expressed|pressed|(?:steam[\s-])?distilled|rectified))+$"
)
# Words of grade or origin before a name, which never change what it names: 'Organic Argan
# Oil', 'Pure Medical Grade Lanolin', 'Cold-Pressed Jojoba Oil'. ('Natural' and 'Vegetable'
# are left out: 'Natural Yellow 3' is a colour, 'Vegetable Collagen' is not collagen.)
_QUALIFIER = re.compile(
    r"(?i)^(?:(?:certified\s+)?organic|bio|pure|100\s*%\s*pure|"
    r"medical[\s-]grade|pharmaceutical[\s-]grade|cosmetic[\s-]grade|cold[\s-]pressed|"
    r"(?:extra\s+)?virgin|unrefined|refined|wild[\s-](?:harvested|crafted)|raw)\s+(?=\S)"
)
# A stereoisomer's mark, which INCI leaves out: 'DL-Panthenol', 'dl-alpha Tocopheryl Acetate'.
_STEREO = re.compile(r"(?i)^(?:dl|d|l)(?:-|\s+)(?:alpha[-\s]+)?(?=[a-z]{4})")
# Locants written with a full stop for their comma: '1.2-Hexanediol'.
_DOTTED_LOCANTS = re.compile(r"^(\d)\.(\d)(?:-|\s+)(?=[A-Za-z])")
# What any of the rewrites above and below needs: one cheap search before five.
_REWRITABLE = re.compile(r"(?i)^(?:dl|d|l)[-\s]|^\d\.\d|\bextr?\.?$|^vit|HCI")
# Words a small label shortens or a typist mistakes: 'Aloe Barbadensis Leaf Ext.', 'Vit. E'.
_SHORTENED = (
    (re.compile(r"(?i)\s+ext(?:r|ract)?\.?$"), " Extract"),
    (re.compile(r"(?i)^(?:vit\.?\s*|vitamin-)(?=[a-z]\d?\b)"), "Vitamin "),  # and 'Vitamin-C'
    (re.compile(r"\bHCI\b"), "HCl"),  # a capital I for the chlorine's l: 'Pyridoxine HCI'
)
# A number written apart from the word it belongs to: 'Laureth 3' is Laureth-3, 'PEG
# 8-Dimethicone' PEG-8 Dimethicone. Only a candidate: the lists decide whether it is a name.
_DETACHED_NUMBER = re.compile(r"(?i)\b([a-z]{3,})\s+(\d+)(?:-(?=[a-z]))?")
_PERCENT = re.compile(r"(?<![\d.,])(\d++(?:[.,]\d++)?)\s*%")  # a number starts once: linear
PARENTHESIS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_NESTING_PARENTHESIS = re.compile(r"\(((?:[^()]*\([^()]*\))+[^()]*)\)")  # one level inside

# A footnote after a name ('Juice*') or on its own ('*Certified Organic'): not an ingredient.
FOOTNOTE_MARK = "*†‡°§¹²³⁴⁵⁶⁷⁸⁹"  # '°' as French and Italian labels mark organic
# A footnote's mark where a legend starts: '*', '¹', or a number or mark in brackets ('(1) Organic',
# '(*) Essential oil component').
FOOTNOTE_START = re.compile(rf"^\s*(?:[{FOOTNOTE_MARK}]|[(\[](?:\d|[{FOOTNOTE_MARK}]+)[)\]])")
FOOTNOTE_WORDS = re.compile(
    r"(?i)\b(?:organic|certified|natural(?:ly)?|derived|fair ?trade|wild|wild-?crafted|pressed|"
    r"biodynamic|"
    r"ingredients?|grown|agriculture|from|of|agents?|"
    # what a fragrance allergen's mark says: '*natural essential oil constituent'
    r"components?|constituents?|occurring|naturally|present|allergens?)\b"
)

# The parts of a plant and the products made of them, as INCI names write them.
PLANT_PART_WORDS = (
    r"(?:seed|fruit|kernel|leaf|leaves|flower|root|bark|peel|stem|nut|herb|twig|bud|"
    r"rhizome|shell|husk|pulp|callus|branch|needle|wood|resin|cone|berry|sprout|bulb|"
    r"tuber|aerial part|whole plant|meristem cell|seedcake)s?"
)
PLANT_PRODUCT_WORDS = r"(?:oil|extract|butter|water|juice|powder|wax|flour)"
# A name a mark and 'organic' stand before ('*Organic Citrus Limon Peel Oil', '°Bio Aloe
# Barbadensis Leaf Juice'), where a legend would say what the mark means ('*Certified organic',
# '*From organic farming', '*Derived from coconut oil', '*Constituent of essential oils').
_MARKED_NAME = re.compile(
    rf"(?i)^\s*[{FOOTNOTE_MARK}]+\s*(?:(?:certified|organic|bio|natural|wild-?crafted|"
    r"fair\s?trade|cold[-\s]pressed|raw|virgin|extra\s+virgin|pure)\s+)+(?!.*\b(?:from|of|derived|ingredients?|farming|agriculture|origin|"
    r"grown|harvested|sourced|produced|constituents?|components?|present|allergens?)\b)"
    rf".*\b(?:{PLANT_PART_WORDS}|{PLANT_PRODUCT_WORDS})\b"
)


def is_footnote_legend(text: str) -> bool:
    """What a footnote's mark means ('*Certified organic'), not an ingredient it marks."""
    return (
        bool(FOOTNOTE_START.match(text))
        and bool(FOOTNOTE_WORDS.search(text))
        and not _MARKED_NAME.match(text)
    )


# A plant part glued to its product: 'Scutellaria Rootextract', 'Jojoba Seedoil'.
_GLUED_PRODUCT = re.compile(rf"(?i)\b({PLANT_PART_WORDS})(?={PLANT_PRODUCT_WORDS}\b)")
_PARTS_ONLY = re.compile(rf"(?i)(?:{PLANT_PART_WORDS}\s*)+{PLANT_PRODUCT_WORDS}?")
_PART_AT_END = re.compile(rf"(?i)\b{PLANT_PART_WORDS}$")


def one_plants_parts(texts: Sequence[str]) -> bool:
    """Slash parts that name the parts of one plant ('Sage Flower', 'Leaf', 'Stem Extract'):
    the first ends in a part, the others are parts, and perhaps a product, with no plant."""
    return (
        len(texts) > 1
        and bool(_PART_AT_END.search(texts[0].strip()))
        and all(_PARTS_ONLY.fullmatch(text.strip()) for text in texts[1:])
    )


HYPHENATION = "\u2010"

# A note after a name: 'Limonene *antistatic agent', or what it does, its mark lost:
# 'Limonene Antistatic Agent/Agent Antistatique' (no INCI name ends in 'agent').
_INLINE_NOTE = re.compile(
    r"\s[*†‡]\s*[a-z].*$|\s+[*†‡]?\s*(?:an?\s+)?[A-Za-z][a-z-]+\s+[Aa]gents?\b(?:\s*/.*)?$"
)
_GLUED_WORDS = re.compile(r"(?<=[a-z]{3})\.?(?=[A-Z][a-z])")  # 'OxideWater', 'Mica.Isododecane'

# Words of a web page's controls that get pasted along with a label, and a heading's words
# standing alone in a sentence cut at its commas ('the nutrition, ingredient, allergen').
_NO_NAMES = frozenset(
    {
        "ingredient",
        "ingredients",
        "function",  # the heading of a shop's column of what each ingredient does
        "functions",
        "what it does",
        # the other columns of an ingredient site's table ('Ingredient | Function | Acne |
        # Irritant | Safety'): ratings, never names
        "acne",
        "irritant",
        "irritancy",
        "comedogenic",
        "comedogenicity",
        "safety",
        "rating",
        "ewg rating",
        "ewg score",
        "score",
        "concerns",
        "inci name",
        "ingredient name",
        "name",
        "what-it-does",
        "irr",  # an ingredient site's columns of irritancy and comedogenicity ('irr., com.')
        "com",
        "id-rating",
        "superstar",  # and its ratings
        "goodie",
        "icky",
        "risk-free",  # a scanning app's ratings, and a hazard site's
        "low risk",
        "limited risk",
        "moderate risk",
        "high risk",
        "low hazard",
        "moderate hazard",
        "high hazard",
        "save",  # a shop's words that stand alone once a price or a full stop is cut off
        "per",
        "new in",
        "klarna",
        "afterpay",
        "clearpay",
        "paypal",
        "inci",
        "less",
        "more",
        "read more",
        "show more",
        "see more",
        "view more",
        "show less",
        "see less",
        "read less",
    }
)
# '_' marks allergens in open databases; '>>', '=', '→' point from a heading to its list
EDGE_JUNK = f" \t\"'`{{}}{FOOTNOTE_MARK}_.:-–—=<>«»→"


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as the label wrote it, trimmed
    candidates: tuple[str, ...]  # names to look up, most specific first
    conditional: bool = False  # listed under "may contain"
    active: bool = False  # a drug-facts active ingredient: outside the weight order
    percent: float | None = None  # the amount the label states, as for drug-facts actives
    mentioned: bool = False  # named in a blurb or heading, not in the list itself


@functools.lru_cache(maxsize=65_536)  # labels repeat the same few thousand names
def normalize_name(name: str) -> str:
    """The form names are compared in: no accents or case, one spacing."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    text = re.sub(r"[‐‑‒–—−]", "-", text).replace(".", " ")
    if not text.isascii():
        text = text.translate(_GREEK)
    text = text.replace("sulph", "sulf").replace("aluminium", "aluminum")  # INCI spells US
    if "ci" in text:
        text = _GLUED_CI.sub("ci ", text)  # 'CI77891'
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


_GLUED_CI = re.compile(r"\bci(?=\d{5}\b)")
_GREEK = str.maketrans({"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ω": "omega"})
_OCR_LOOKALIKES = str.maketrans({"l": "i", "1": "i", "|": "i", "!": "i", "0": "o"})


def ocr_fold(normalized: str) -> str:
    """A name with the letters OCR confuses made equal: 'cl 77891' and 'ci 77891' meet."""
    return normalized.replace("rn", "m").translate(_OCR_LOOKALIKES)


_LANGUAGE_TAG = re.compile(r"^[a-z]{2}:(?=[a-z])")
# The 'and' of a list written as a sentence, after its last comma: 'water, glycerin, and
# panthenol'. No name starts with the word 'and'.
_LEADING_AND = re.compile(r"(?i)^(?:and|&)\s+(?=\w)")
# A formula reference printed before a section's first name; no name starts with five digits.
_LEADING_CODE = re.compile(r"^[A-Z]{0,3}\d{5,}(?:/\d{1,3})?(?:\s+|(?=[A-Za-z][a-z]{2}))")


@functools.lru_cache(maxsize=65_536)  # the same few thousand names, written the same ways
def _token(raw: str, conditional: bool, active: bool = False) -> Token | None:
    raw = raw.strip()
    if is_footnote_legend(raw):
        return None  # the legend of a footnote: '*Certified Organic'
    raw = _INLINE_NOTE.sub("", raw)  # 'Limonene *antistatic agent' keeps 'Limonene'
    spaced = " ".join(raw.replace("\\\\", "\\").split())
    if "q" in spaced or "Q" in spaced or "ad " in spaced:
        spaced = _SUFFICIENT.sub("", spaced)
    text = _trim(" ".join(_QUANTITY.sub(" ", spaced).split()))
    text = _LEADING_CODE.sub("", text)  # 'C267317/1 Trimethylsiloxysilicate': a formula code
    text = _LANGUAGE_TAG.sub("", text)  # 'en:glycerin', as open product databases tag names
    text = _LEADING_AND.sub("", text)
    if not text or not any(char.isalpha() for char in text) or text.casefold() in _NO_NAMES:
        return None
    stated = _PERCENT.search(spaced) if "%" in spaced else None
    percent = float(stated.group(1).replace(",", ".")) if stated else None
    return Token(text, _candidates(text), conditional, active, percent)


def _trim(text: str) -> str:
    """Drop junk at the edges, and brackets there that have lost their partner."""
    while True:
        trimmed = text.strip(EDGE_JUNK)
        if trimmed[:1] in "([" and not any(close in trimmed for close in ")]"):
            trimmed = trimmed[1:]
        if trimmed[-1:] in ")]" and not any(opener in trimmed for opener in "(["):
            trimmed = trimmed[:-1]
        if trimmed == text:
            return text
        text = trimmed


def _candidates(text: str) -> tuple[str, ...]:
    """The whole name first, then without its parenthesis, then what the parenthesis holds."""
    names = [text]
    if HYPHENATION in text:
        names.append(text.replace(HYPHENATION, ""))
    plain = _NAME_SUFFIX.sub("", text)
    if plain != text and plain:
        names.append(plain)  # 'Yellow Soft Paraffin BP', '… Trans-Isomer': the name itself
    for pharmacopoeia, inci in _PEG_NAMES:  # 'Polyoxyl 40 Stearate' is PEG-40 Stearate
        if pharmacopoeia.match(text):
            names.append(pharmacopoeia.sub(inci, text))
    colour = _US_COLOUR.match(text)
    if colour:  # 'FD&C Blue No. 1 Lake' is the certified colour 'Blue 1' (as a lake)
        names.extend(
            dict.fromkeys(
                [
                    f"{colour['hue']} {colour['number']}{colour['lake'] or ''}",
                    f"{colour['hue']} {colour['number']}",
                ]
            )
        )
    spaced = _GLUED_PRODUCT.sub(r"\1 ", _GLUED_WORDS.sub(" ", text))
    if spaced != text:
        names.append(spaced)  # 'GlycerylCaprylate' lost its space
    rewrites = (_STEREO, ""), (_DOTTED_LOCANTS, r"\1,\2-"), *_SHORTENED
    for pattern, replacement in rewrites if _REWRITABLE.search(text) else ():
        rewritten = pattern.sub(replacement, text)
        if rewritten != text:
            names.append(rewritten)
    for name in list(names):
        plain = _QUALIFIER.sub("", name)
        while plain != name:
            names.append(plain)
            name, plain = plain, _QUALIFIER.sub("", plain)
        numbered = _DETACHED_NUMBER.sub(r"\1-\2 ", name).strip()
        if numbered != name:
            names.append(numbered)
    inner = PARENTHESIS.findall(text)
    if inner:
        bare = PARENTHESIS.sub(" ", text)
        names.append(bare)
        nested = bool(PARENTHESIS.search(bare))
        while PARENTHESIS.search(bare):
            bare = PARENTHESIS.sub(" ", bare)
        # A name inside a name: 'Candelilla Cera (Euphorbia Cerifera (Candelilla) Wax)' is
        # 'Candelilla Cera', also written 'Euphorbia Cerifera (Candelilla) Wax'.
        names.append(bare)
        # What a bracket holds names the token only when the bracket ends it: in
        # 'Aqua (Water) Retinol' a comma is missing, and reading 'Water' would hide Retinol.
        tail = text[max(text.rfind(")"), text.rfind("]")) + 1 :]
        if not any(char.isalnum() for char in tail):
            names.extend([*(_NESTING_PARENTHESIS.findall(text) if nested else ()), *inner])
    for name in list(names):
        for slash in "/\\":
            if slash in name:
                names.extend(name.split(slash))
    cleaned = (" ".join(name.split()).strip(EDGE_JUNK) for name in names)
    return tuple(dict.fromkeys(name for name in cleaned if name))


_RUN_UNIT = re.compile(r"[(\[][^()\[\]]*[)\]]|[^\s()\[\]]+")


def run_units(text: str) -> list[str]:
    """The words of a token, brackets kept whole, split where a lost separator glued two
    names ('OxideWater' is 'Oxide', 'Water'); a bracket stays with the word before it."""
    units: list[str] = []
    for unit in _RUN_UNIT.findall(_GLUED_WORDS.sub(" ", text)):
        if unit[:1] in "([" and units:
            units[-1] = f"{units[-1]} {unit}"
        else:
            units.append(unit)
    return units


# Words that mark the French, Spanish, German or Latin twin of a name ('Water/Eau', 'Barley
# Extract/Extrait d'Orge', 'Beeswax/Cire d'Abeille', 'Whey Protein/Lactis Protein').
_TRANSLATION = re.compile(
    r"(?i)(?:^|\s)(?:d[’']|de|du|des|la|le|les|et|extrait|huile|beurre|cire|sel|eau|miel|"
    r"prot[ée]ine|poudre|jus|feuilles?|fleurs?|racines?|graines?|graisse|farine|ar[ôo]me|sucre|"
    r"lait|levure|orge|amande|avoine|bl[ée]|riz|noix|[ée]corce|aceite|extracto|agua|manteca|"
    r"hojas?|flor|ra[íi]z|semillas?|[öo]l|extrakt|wasser|wachs|honig|"
    r"cera|oleum|mel|lactis|faex|sal|maris|extractum|butyrum|aqua)(?=\s|$|[’'])"
)


def is_translation(text: str) -> bool:
    """A name written in French, Spanish, German or Latin beside its INCI twin."""
    return bool(_TRANSLATION.search(text))


def read_token(raw: str, conditional: bool = False, active: bool = False) -> Token | None:
    """One piece of a label as a token; None when it holds no name."""
    return _token(raw, conditional, active)


def bracket_contents(text: str) -> list[str]:
    """What the innermost brackets of a token hold, trimmed: 'Aqua (Water)' -> ['Water']."""
    return [" ".join(inner.split()).strip(EDGE_JUNK) for inner in PARENTHESIS.findall(text)]


def has_top_level_slash(text: str) -> bool:
    """A slash outside brackets: 'Glycerin/Retinol', not 'Water (Aqua/Eau)'."""
    depth = 0
    for char in text:
        depth += (char in "([") - (char in ")]")
        if char in "/\\" and depth == 0:
            return True
    return False


def split_top_level_slashes(text: str) -> list[str]:
    """The text between its slashes outside brackets, in one pass: 'Water / Glycerin'."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if char in "/\\" and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return pieces


def slash_parts(token: Token) -> tuple[Token, ...]:
    """The names a token holds between its slashes outside brackets: 'Water / Glycerin'."""
    pieces = split_top_level_slashes(token.text)
    parts = (_token(piece, token.conditional, token.active) for piece in pieces)
    return tuple(part for part in parts if part is not None)


def join_tokens(first: Token, second: Token) -> Token:
    """One name the label broke in two: 'Cocamidopropyl' + 'Betaine', '2-Oleamido-1' + '3-…'."""
    glue = "," if first.text[-1:].isdigit() and second.text[:1].isdigit() else " "
    text = f"{first.text}{glue}{second.text}"
    return Token(text, _candidates(text), first.conditional)
