"""Tell the ingredient list from the text pasted around and inside it.

A pasted label often carries more than its list: marketing copy and key-ingredient blurbs,
a US drug-facts panel (active ingredients with their purpose, uses, warnings, directions,
then the inactive ingredients), "free of" claims, footnote legends, disclaimers, formula
codes. This module cuts a label into the parts that list ingredients and the text set aside,
kept as written so that the answer can show what was not read as an ingredient; the words
prose is told by are graph/prose.py's, the claims graph/claims.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.items import LIST_MARK, SEPARATOR_CHARS, SPACED_DASH
from graph.prose import PROSE_WORDS
from graph.tokens import is_footnote_legend

# Headings a label puts before a part, by what follows them. A heading ends in a colon or a
# spaced dash, so words inside names ('Multi-Use') are never headings.
_LIST_HEADINGS = (
    r"(?:inactive|other)\s+ingredients?|(?:full|all|complete)?\s*ingredients?(?:\s+list)?|"
    r"ingr[ée]dients?|what['’]?s\s+inside|what['’]?s\s+in\s+it|formula|"
    r"inci|composition|inactives?|(?:also\s+)?contains|inhaltsstoffe|ingredientes|ingredienti|ingredi[eë]nten|"
    r"ingredienser|sk[łl]adniki|zusammensetzung|(?:sonstige\s+)?bestandteile|hilfsstoffe|"
    r"全?成分|전?성분"  # Japanese and Chinese, Korean
)
# A list grouped by what the ingredients do ('Preservatives: Phenoxyethanol'): a heading
# inside the list, so what stands before it is the list too, not a preamble.
_GROUP_HEADINGS = (
    r"emollients?|preservatives?|propellants?|colou?rants?|colou?rs|emulsifiers?|"
    r"thickeners?|humectants?|surfactants?|antioxidants?|solvents?|uv\s+filters?|"
    r"fragrance\s+components?"
)
_ACTIVE_HEADINGS = r"active\s+ingredients?|(?:key\s+)?actives?|wirkstoffe?"
_BLURB_HEADINGS = (
    r"(?:key|hero|star|featured|main|highlighted|notable)\s+ingredients?|"
    r"(?:key\s+)?ingredients?\s+highlights?|"
    r"highlights?"
)
# What to do with the product and what to beware of: they name ingredients to keep apart from it
# ('Do not use with retinol'), never ones it holds.
_ASIDE_HEADINGS = (
    r"purposes?|uses|directions(?:\s+for\s+use)?|how\s+to\s+use|to\s+use|"
    r"suggested\s+(?:usage|use)|usage|"
    r"(?:product\s+|safety\s+)?warnings?|cautions?|hazards?(?:\s+(?:and|&)\s+cautions?)?|"
    r"other\s+information|(?:important|safety)\s+information|questions(?:\s+or\s+comments)?|"
    r"storage|drug\s+facts(?:\s+\(continued\))?|"
    # the same in the languages of the list headings above ('Mode d'emploi :', 'Anwendung:',
    # 'Modo de empleo:', 'Avvertenze:', 'Sposób użycia:')
    r"mode\s+d['’]\s*emploi|conseils?\s+d['’]\s*utilisation|utilisation|avertissements?|"
    r"pr[ée]cautions?(?:\s+d['’]\s*(?:emploi|utilisation))?|anwendung(?:shinweise?)?|"
    r"gebrauchsanweisung|warnhinweise?|vorsichtsma(?:ß|ss)nahmen|precauciones|advertencias?|"
    r"modo\s+de\s+(?:empleo|uso|usar|aplicaci[óo]n|utiliza[çc][ãa]o)|modo\s+d['’]\s*(?:uso|impiego)|"
    r"avvertenze|precauzioni|precau[çc][õo]es|advert[êe]ncias?|gebruik(?:saanwijzing)?|"
    r"waarschuwing(?:en)?|spos[óo]b\s+u[żz]ycia|ostrze[żz]enia?|"
    # a shop's page offering other products: what they hold is not in this one
    r"customers\s+(?:who\s+\w+\s+this\s+\w+\s+)?also\s+(?:bought|viewed|liked)|"
    r"you\s+(?:may|might)\s+also\s+(?:like|love|need)|frequently\s+bought\s+together|"
    r"(?:related|similar|recommended)\s+(?:products|items)|recently\s+viewed(?:\s+items)?|"
    r"(?:complete|shop)\s+the\s+(?:routine|look|regimen)|"
    # a shop's own sections: reviews speak of other products, delivery and sharing of none
    r"(?:(?:customer\s+)?ratings?\s+(?:&|and)\s+)?reviews|questions\s+(?:&|and)\s+answers|"
    r"q\s*&\s*a|share(?:\s+this(?:\s+product)?)?|(?:delivery|shipping)(?:\s+(?:&|and)\s+returns)?|"
    r"returns|top\s+(?:reviews|(?:positive|critical)\s+reviews?)(?:\s+from\s+[^\n:]+)?|"
    r"looking\s+for\s+specific\s+info\??|(?:legal\s+)?disclaimer|"
    # a brand's own pages on a shop: its story and the rest of its range
    r"from\s+the\s+(?:manufacturer|brand)"
)
# What the product is, who makes it, a shop's table of its details ('Brand: …', 'Skin Type ⇥
# Dry'): what they say of an ingredient is said of the product (graph/passing.py).
_ABOUT_HEADINGS = (
    r"made\s+in|distributed\s+by|manufactured\s+by|(?:product\s+)?description|"
    r"what\s+it\s+is|good\s+to\s+know|about\s+(?:this|the)\s+(?:item|product)|"
    r"what\s+else\s+you\s+need\s+to\s+know|ingredient\s+callouts|clinical\s+results|results|"
    r"(?:skin(?:care)?\s+)?concerns?|formulation|categor(?:y|ies)|routine\s+step|awards?|"
    r"(?:key\s+)?benefits|"
    r"features(?:\s+(?:and|&)\s+benefits)?|"
    r"why\s+(?:it['’]?s\s+great|we\s+love\s+it|you['’]?ll\s+love\s+it)|the\s+science|"
    r"who\s+it['’]?s\s+for|"
    r"product\s+information|(?:product\s+)?details|specifications?|legal\s+name|brand|"
    r"manufacturer|country\s+of\s+origin|(?:item\s+)?form|scent|(?:skin|hair)\s+types?|"
    r"(?:item\s+|net\s+)?(?:size|volume|weight)|capacity|"
    r"(?:assembled\s+)?(?:product\s+|package\s+)?dimensions(?:\s*\([^():\n]*\))?|"
    r"shelf\s+life|period\s+after\s+opening|asin|upc|(?:item\s+)?model\s+number|"
    r"best\s+sellers\s+rank|customer\s+reviews|age\s+range(?:\s+\(description\))?|"
    r"special\s+features?|product\s+benefits|material\s+type\s+free|unit\s+count|"
    r"number\s+of\s+items|date\s+first\s+available|finish(?:\s+type)?|texture|"
    r"target\s+use\s+body\s+part|recommended\s+uses\s+for\s+product|at\s+a\s+glance|"
    r"(?:expiration|expiry|use[\s-]by)\s+date"
)
_HEADINGS = (
    rf"(?:(?P<list{{n}}>{_LIST_HEADINGS})|(?P<active{{n}}>{_ACTIVE_HEADINGS})|"
    rf"(?P<group{{n}}>{_GROUP_HEADINGS})|(?P<blurb{{n}}>{_BLURB_HEADINGS})|"
    rf"(?P<aside{{n}}>{_ASIDE_HEADINGS})|(?P<about{{n}}>{_ABOUT_HEADINGS}))"
)
# A drug-facts panel prints its headings in bold at a line's start, the text going on after
# them with no colon ('Inactive ingredients water, glycerin', 'Warnings For external use
# only'). Only these capitalised headings are read so: a line starting with 'ingredients like
# aloe' is a sentence wrapped at the line's end.
_PANEL_HEADINGS = (
    r"(?-i:(?P<list3>(?:Inactive|INACTIVE|Other|OTHER)\s+(?i:ingredients?)|Ingredients?|"
    r"INGREDIENTS?|INCI)|(?P<active3>(?:Active|ACTIVE)\s+(?i:ingredients?))|"
    r"(?P<aside3>Uses|USES|Warnings?|WARNINGS?|Directions|DIRECTIONS|Other\s+information|"
    r"OTHER\s+INFORMATION|Questions\??|QUESTIONS\??))"
)
# What a panel prints beside an actives heading: '(in each gram)', '(w/w)', and the column
# title 'Purpose'.
_HEADING_TAIL = r"[ \t]*(?:\(s\))?[ \t]*(?:\([^()\n]{0,30}\)[ \t]*)?(?:purposes?[ \t]*)?"
# A heading ends in a colon or a spaced dash ('Ingredients: …'), stands on a line of its own
# ('Active ingredients' then the actives below), or opens a line of a drug-facts panel.
# A language's code before a heading, as packs sold in several countries print each list:
# 'EN Ingredients: … ⏎ FR Ingrédients : …'.
_LANGUAGE_CODE = r"(?:(?-i:[A-Z]{2})[ \t]*[:/]?[ \t]+)?"
_HEADING = re.compile(
    rf"(?<![\w&-]){_LANGUAGE_CODE}(?:(?:{_LIST_HEADINGS})\s*/\s*)?{_HEADINGS.format(n=1)}"
    rf"{_HEADING_TAIL}"
    r"\s*(?::|：|\s[-–—]\s)"
    rf"|^[ \t]*{_HEADINGS.format(n=2)}{_HEADING_TAIL}(?:$|\t)"
    rf"|^[ \t]*{_PANEL_HEADINGS}{_HEADING_TAIL}(?=[ \t]+[^\s:：])"
    # in square brackets, as Korean and Chinese shops print them ('[Manufacturer] Amorepacific',
    # '… Phenoxyethanol [Usage] Apply …', '【How to use】'), the text glued or spaced
    rf"|(?<![^\s.,;:])\[[ \t]*{_HEADINGS.format(n=4)}{_HEADING_TAIL}\][ \t]*:?",
    flags=re.IGNORECASE | re.MULTILINE,
)
# Formula and batch codes: '(Code F.I.L: B3089/6)', '[PR-001331]', 'B03425', 'MOPC01'.
_CODE = re.compile(
    r"(?i)^(?:code\b|f\.?\s?i\.?\s?l\b).*|^(?=[\w\s./-]*\d{3})[a-z]{0,4}\s?[\d./-][\w./-]*$"
)
# What a pack prints beside the list: 'Batch 12345 EXP 05/2027', 'LOT: A23 MFG 2026-01'.
_PACK_CODE = re.compile(
    r"(?i)^(?:(?:batch|lot|l(?=\.\s?\d)|exp(?:iry)?|mfg|mfd|ref|sku|upc|ean|pao|bb|best\s+before|"
    r"formula)\b\.?"
    r"\s*(?:no\.?|#|:)?\s*[\w./-]*\d[\w./-]*\s*)+$"
)
_LETTERS = re.compile(r"[A-Za-z]+")
# The dots a drug-facts panel prints between an active ingredient and its amount and its
# purpose: 'Avobenzone 3% ........ Sunscreen', '1% . . . . Anti-itch', '20%……Sunscreen'.
DOT_LEADER = re.compile(r"(?<=\S)\s*(?:\.{3,}|…+|(?:\s?\.){4,})\s*(?=\S)")
# Purposes a drug-facts panel prints beside an active ingredient.
_PURPOSE = re.compile(
    r"(?i)(?:\bpurposes?\b\s*:?\s*)?\b(?:sunscreen|skin\s+protectant|acne\s+(?:medication|"
    r"treatment)|anti-?itch|antiperspirant|anti-?dandruff|antifungal|antiseptic|analgesic|"
    r"external\s+analgesic|first\s+aid\s+antiseptic)\b\s*\.?\s*$"
)


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    # "list", "active" (drug-facts actives), "group" (by function), "blurb", "aside" (what to
    # do and beware of), "about" (what the product is)
    kind: str


def split_parts(text: str) -> list[Part]:
    """The label cut at its headings. Text before the first ingredient heading is a preamble:
    its prose is set aside, but nothing in it that reads as a list is lost."""
    if (
        ":" not in text
        and "：" not in text
        and "\n" not in text
        and "[" not in text
        and not SPACED_DASH.search(text)
        and not _PANEL_START.match(text)
    ):
        return [Part(text, "list")]
    headings = list(_HEADING.finditer(text))
    if not headings:
        return _after_title(text)
    lists = [h for h in headings if _kind(h) in ("list", "active")]
    first_kind = "preamble" if lists and lists[0].start() > 0 else "list"
    parts = [Part(text[: headings[0].start()], first_kind)]
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        kind = _kind(heading)
        if kind in ("aside", "about"):  # it keeps its title; a list may follow with none,
            # but not after who makes it or where: 'Manufacturer ⏎ L'Oreal, 14 rue Royale, Paris'
            part = text[heading.start() : end]
            aside, listed = (part, "") if _WHO.match(part) else _list_after_aside(part)
            parts += [Part(aside, kind), Part(listed, "list")]
        elif kind == "blurb":  # the same: 'Hero ingredient: Encapsulated Retinol ⏎ Aqua, …'
            blurbs, listed = _list_after_aside(text[heading.end() : end])
            parts += [Part(blurbs, kind), Part(listed, "list")]
        else:
            parts.append(Part(text[heading.end() : end], kind))
    return [part for part in parts if part.text.strip()]


def _after_title(text: str) -> list[Part]:
    """A list under or over the product's name with no heading between ('Gentle Foaming
    Cleanser ⏎ Aqua, Glycerin, …'): the name's line is a preamble, as it is above
    'Ingredients:', so a name it holds still counts ('Retinol Night Serum') and the rest is
    set aside. A last line is a name only under a list of marks other than line ends that
    does not run on into it with a comma ('…, Glycerin,⏎Lactis Serum' is the list)."""
    parts = []
    title = _TITLE.match(text)
    if title is not None and LIST_MARK.search(text[title.end() :].split("\n", 1)[0]):
        parts.append(Part(title.group(), "preamble"))
        text = text[title.end() :]
    last = _LAST_TITLE.search(text)
    listed = text[: last.start()] if last is not None else ""
    marks = set(SEPARATOR_CHARS.findall(listed)) - {"\n"}  # not a list of a name a line
    if last is None or not marks or listed.rstrip().endswith(","):
        return [*parts, Part(text, "list")]
    return [*parts, Part(listed, "list"), Part(last.group(), "preamble")]


# A product's name on a line of its own: a few words ending in what kind of product it is;
# not a balm or a mist, which plants are called too ('Lemon Balm', 'Love-in-a-Mist').
_TITLE_WORDS = (
    r"[ \t]*[^\n,;:|•·(]{0,60}\b(?:cleanser|face\s+wash|moisturi[sz]er|cream|lotion|serum|"
    r"toner|mask|gel|sunscreen|ointment|emulsion|fluid|treatment|spf\s*\d+)"
    r"(?:\s+[\d.,]+\s*(?:ml|g|oz|fl\.?\s?oz))?[ \t]*"
)
_TITLE = re.compile(rf"{_TITLE_WORDS}\n", flags=re.IGNORECASE)
_LAST_TITLE = re.compile(rf"(?<=\n){_TITLE_WORDS}$", flags=re.IGNORECASE)


def _list_after_aside(text: str) -> tuple[str, str]:
    """An aside part ('Directions: Apply nightly.') cut where a line of names starts: a line
    after its title's with two list marks or more and no word of a sentence, not even the 'and'
    that ends a sentence's enumeration ('wear shirts, pants, hats, and sunglasses')."""
    for line in _LATER_LINE.finditer(text):
        marks = len(LIST_MARK.findall(line.group()))
        words = {word.lower() for word in _WORDS.findall(line.group())}
        if marks >= 2 and not words & _SENTENCE_WORDS:
            return text[: line.start()], text[line.start() :]
    return text, ""


def _kind(heading: re.Match[str]) -> str:
    groups = heading.groupdict()
    found = [
        kind
        for kind in ("list", "active", "group", "blurb", "aside", "about")
        if any(groups.get(f"{kind}{n}") for n in (1, 2, 3, 4))
    ]
    return found[0] if found else "aside"


_LATER_LINE = re.compile(r"(?<=\n)[^\n]+")
_WHO = re.compile(r"(?i)\s*(?:made\s+in|distributed\s+by|manufactured\s+by|manufacturer)\b")
_WORDS = re.compile(r"[^\W\d_]+")
_SENTENCE_WORDS = PROSE_WORDS | {"and", "or", "nor"}
_PANEL_START = re.compile(rf"\s*{_PANEL_HEADINGS}\s", flags=re.IGNORECASE)


# A footnote's legend as a sentence of its own: '*Certified organic.', '*Coconut, vegetable,
# or plant derived.', '†Derived from coconut, palm or rapeseed.' Its commas separate only
# words of origin: '*Certified organic, Retinol' still lists Retinol.
_ORIGIN = (
    r"(?:coconut|vegetable|plant|palm(?: kernel)?|sugar ?cane|sugar|cane|beet|corn|soya?|"
    r"rapeseed|olive|sunflower|castor|mineral|natural|renewable|animal|synthetic|fruit|seed|"
    r"wheat|rice|grain)s?"
)
_ORIGINS = rf"{_ORIGIN}(?:\s*,\s*(?:(?:or|and)\s+)?{_ORIGIN}|\s+(?:or|and)\s+{_ORIGIN})*"
_FOOTNOTE_LEGEND = re.compile(
    r"(?im)(?:^|(?<=\.))[ \t]*([*†‡°]+[ \t]*(?:"
    rf"(?:(?:derived|sourced|obtained|produced|made)\s+)?from\s+{_ORIGINS}"
    rf"(?:\s+(?:sources?|origin|oils?|materials?))?"
    rf"|{_ORIGINS}\s+(?:derived|origin|based|sourced)"
    r"|[^*†‡°\n.,;/•|]{0,120}?\b(?:derived|origin|organic|certified|grown|farmed|harvested|"
    r"sourced|agriculture|components?|constituents?|occurring|naturally|present|allergens?|"
    r"natural|pressed|wild-?crafted|biodynamic|fair\s?trade)\b"
    r"[^*†‡°\n.,;/•|]{0,30}"
    r")\.?)[ \t]*(?=[\s'\x22\])]*$|[*†‡°])"  # a pasted list may close with '] or "
)


# Who made or sells the product: 'Distributed by Beauty Co., Seoul', 'Mfd. for Brand Inc.,
# New York, NY 10001' ('made for' is a claim: 'made for sensitive skin'). To its line's or
# sentence's end ('Co.,' and 'Inc.,' go on), and only a line this short; a restricted name
# in it still keeps the answer from okay (graph/passing.py), as in prose.
_COMPANY = re.compile(
    r"(?im)(?:^|(?<=[.!?])[ \t]+)[ \t]*(?:(?:distributed|manufactured|marketed|imported|packed|"
    r"mfd|mfg|dist)\.?[ \t]+(?:by|for)|made[ \t]+by|"
    # the person responsible for it in the EU or the UK, whose address EU law asks for
    r"(?:(?:eu|uk)[ \t]+)?(?:rp|responsible[ \t]+person)[ \t]*:|(?:importer|distributor)[ \t]*:|"
    # or a company's name and address alone: 'GlowLab Ltd., 1 High St, London, UK'
    r"[a-z][\w&'’ \t-]{0,40}?[ \t](?:ltd|limited|llc|inc|gmbh|plc|pty|corp|sarl|"
    r"s\.?a\.?(?:s\.?)?|s\.?p\.?a|s\.?r\.?l|b\.?v|co)"
    r"(?=\.?[ \t]*(?:,|$)))"
    r"(?:\b|(?<=:))[^\n.!?]*(?:\.(?=[,\w])[^\n.!?]*)*\.?"
)
COMPANY_LINE_CHARS = 150


def take_company_lines(text: str) -> tuple[str, list[str]]:
    """The text without the lines that say who made or sells the product, and those lines."""
    found: list[str] = []

    def take(line: re.Match[str]) -> str:
        if len(line.group()) > COMPANY_LINE_CHARS or line.group().count(",") > 4:
            return line.group()
        found.append(line.group().strip())
        return "\n"

    return _COMPANY.sub(take, text), found


LEGENDS_ON_A_LINE = 4


def take_footnote_legends(text: str) -> tuple[str, list[str]]:
    """The text without its footnotes' legends, and those legends."""
    legends: list[str] = []

    def take(legend: re.Match[str]) -> str:
        if is_footnote_legend(legend.group(1)):
            legends.append(legend.group(1).strip())
            return "\n"
        return legend.group()  # '*Organic Citrus Limon Peel Oil': a name, marked

    for _ in range(LEGENDS_ON_A_LINE):  # '*organic **cold pressed': the next starts a line
        taken = _FOOTNOTE_LEGEND.sub(take, text)
        if taken == text:
            break
        text = taken
    return text, legends


def is_code(token: str) -> bool:
    """A formula or batch code rather than a name; asked only of tokens no list knows."""
    text = token.strip(" []()*.")
    if _PACK_CODE.match(text):
        return True
    if not _CODE.match(text):
        return False
    return text.lower().startswith(("code", "f.i.l", "fil")) or all(
        len(run) <= 4 for run in _LETTERS.findall(text)
    )


def split_purpose(token: str) -> tuple[str, str]:
    """'Zinc Oxide 10% Sunscreen' -> 'Zinc Oxide 10%' and the purpose it serves. A dot leader
    ends the name and its amount whatever the purpose says ('Hydroquinone 2% ........ Skin
    lightener', 'Adapalene 0.1% ....... Retinoid acne treatment')."""
    leader = DOT_LEADER.search(token)
    if leader is not None and token[leader.end() :].strip(" .:-–—/"):
        return token[: leader.start()], token[leader.end() :].strip(" .:-–—/")
    purpose = _PURPOSE.search(token)
    if purpose is None or purpose.start() == 0:
        return token, ""
    return token[: purpose.start()].rstrip(" .:-–—"), purpose.group().strip()
