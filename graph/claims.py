"""Claims about the product that a label prints beside or inside its list: what it is free of
('Free of parabens, fragrance and retinol', 'Paraben, sulfate & fragrance free', 'Sans
parfum'), what it goes with, and short claims standing where a name would ('Vegan', 'SPF 30',
'Fragrance: None'). The names a claim holds are never counted as the product's ingredients;
an enumeration is claimed only as far as its words say, so a list that runs on after a claim
keeps its names ('Free of parabens, Retinol, Glycerin')."""

from __future__ import annotations

import re

from graph.items import SEPARATOR_CHARS, SEPARATORS, SPACED_DASH
from graph.prose import all_claim_words, is_prose

# "Free of parabens, fragrance and retinol.": a claim about the product. It starts at its
# sentence's start when no comma comes between, and runs over the items of its enumeration.
_CLAIM = re.compile(
    r"(?im)(?:(?:^|(?<=[.!?])\s+)[A-Za-z' ]*?)?(?<![\w-])"
    r"(?:(?P<words>free\s+(?:of|from)(?:\s+the\s+following)?|"
    r"formulated\s+without|made\s+without|does\s+not\s+contain|do\s+not\s+contain|"
    r"contains\s+no|without(?:\s+added)?|no\s+added|not\s+formulated\s+with|"
    r"(?:we\s+)?never\s+(?:uses?|used|contains?|added|includes?)|zero|no\s+nasties|"
    r"what['’]?s\s+not\s+(?:inside|in(?:\s+it)?|included)|"
    # what else it goes with: 'Compatible with retinol, AHA and BHA'
    r"compatible\s+with|pairs?\s+(?:well\s+)?with|to\s+use\s+(?:with|after|alongside)|"
    r"alternative\s+to|instead\s+of|"
    # the same in French, German, Spanish, Italian, Portuguese, Dutch, Polish, Swedish, Danish
    r"sans|ohne|frei\s+von|sin|libre\s+de|senza|privo\s+di|sem|"
    r"livre\s+de|zonder|vrij\s+van|bez|utan|uden)"
    # its items after a space, or after a colon as a heading's ('Ohne: Parabene, Retinol'),
    # or on the lines below
    r"(?:[ \t]+(?=\S)|[ \t]*(?=[:\n]|$))|(?:excludes?|no)[ \t]*(?=:))"
)
_CLAIM_HINTS = (
    *("free", "without", "contain", "no ", "sans", "ohne", "frei", "sin ", "libre", "senza"),
    *("no:", "never", "zero", "exclude", "formulated with", "compatible", "pair", "to use"),
    *("alternative", "instead"),
    *("privo", "sem ", "livre", "zonder", "vrij", "bez ", "utan", "uden"),
    *("not in", "sin:", "sem:", "bez:"),
)
_CLAIM_ITEM = re.compile(
    rf"[^.!?/{re.escape(SEPARATORS)}]*(?:[.!?](?=\s|$)|[/{re.escape(SEPARATORS)}]|$)"
)
_LINE_END = re.compile(r"\n|[.!?](?=\s|$)")
_CONJUNCTION = re.compile(r"(?i)\b(?:and|or|nor|und|et|oder|ou)\b|&")
# A product's name and its volume ('Barrier Repair Balm 50 ml', 'Retinol Serum 30 ml'): two
# words or more, no list's separator nor slash; one word and a volume is an ingredient and its
# amount ('Zorblaxin 30 ml').
_NAME_AND_VOLUME = r"[^\s,;/]+\s+[^\s,;/][^,;/]*\s[\d.,]+\s*(?:ml|fl\.?\s?oz|l)\b\.?(?:\s*[℮e])?"
NAME_AND_VOLUME = re.compile(rf"(?i)^{_NAME_AND_VOLUME}$")
# A single claim standing in a list: 'Paraben-free', 'Parfümfrei', 'No parabens', 'Vegan'.
_CLAIM_TOKEN = re.compile(
    rf"(?i)^(?:(?:(?!{SPACED_DASH.pattern})[\w\s'&+-])*?[\s-]free"
    r"(?:\s+(?:formula|formulation|product|cream|creme|serum|"
    r"lotion|moisturi[sz]er|cleanser|gel|balm|sunscreen|skincare|mask|toner|essence))?|"
    r"[^\W\d_]{3,}frei|no\s+(?![\d.])[^/,]*|0\s*%\s+[^/,\d]*|"
    r"vegan|cruelty[- ]free|[\w\s'&+-]*\s(?:alternative|substitute)|non[- ][a-z]+|"
    r"hypoallergenic|non[- ]?comedogenic|not\s+tested\s+on\s+animals.*|"
    r"(?:dermatologically|clinically|ophthalmologically)\s+(?:tested|proven).*|"
    r"suitable\s+for\s+.*|for\s+(?:all|sensitive|dry|oily)\s+skin.*|\d+\s*%\s+natural.*|"
    r"natural\s+origin.*|"
    # what sunscreens and skin claims say: 'Broad Spectrum SPF 30', 'Water Resistant (80
    # Minutes)', 'Reef friendly', 'pH 5.5', 'Ophthalmologist tested', 'Fragrance: None'
    r"(?:(?:broad\s+spectrum|mineral|sunscreen|daily)\s+)*spf\s*\d{1,3}\+?(?:\s*pa\s*\+*)?|"
    r"water[- ]resistant.*|(?:[\w-]+[- ])?(?:friendly|safe)|"
    r"uva\s*(?:/|and|&)\s*uvb.*|ph[- ]?(?:balanced|neutral).*|ph\s*\d+(?:[.,]\d+)?|"
    r"(?:ophthalmologist|dermatologist|allergy|pa?ediatrician)s?[- ]"
    r"(?:tested|approved|recommended|developed).*|(?:recommended|approved|accepted|developed|tested)\s+"
    r"(?:by|with)\s+.*|.*\bseal\s+of\s+(?:acceptance|approval).*|safe\s+for\s+.*|"
    r"unscented|odou?rless|\d+\s*months?|"
    # a food-allergen advisory: '(May contain) traces of nuts', 'Made in a factory that handles …'
    r"traces?\s+of\s+(?:(?:tree\s+|pea)?nuts?|soya?|gluten|milk|sesame|wheat|eggs?)\b.*|"
    r"(?:made|produced|manufactured|packed)\s+in\s+a\s+(?:factory|facility|site)\s+.*|"
    r"[\w\s'&+-]{1,40}:\s*(?:none|no|nil|free|0\s*%|not\s+(?:added|present|used))|"
    # what a pack or a shop's page says of the brand: 'www.glowlab.com', '@glowlab',
    # '#skincare', '© 2024 GlowLab' ('Copyright 2024', '(c) 2024'), 'US Pat. 9,999,999',
    # 'Rated 4.8/5', 'Limited edition'
    r"(?:https?://|www\.)\S+|\S+@\S+\.[a-z]{2,}|[@#][\w.]+(?:\s+[@#][\w.]+)*|"
    r"(?:©|copyright\b|\(c\)\s*(?=(?:19|20)\d\d)).*|"
    r".*\ball\s+rights\s+reserved\b.*|(?:us\s+)?pat(?:ent|\.)(?:\s+(?:pending|no\.?))?[\s\d,./-]*|"
    r"[®™]?\s*(?:registered\s+)?trade\s?marks?\s+(?:of|owned)\b.*|not\s+for\s+(?:re-?)?sale\b.*|"
    r"rated\s+[\d.,]+.*|[\d.,]+\s*(?:out\s+of|/)\s*5(?:\s+stars?)?|best[- ]?sellers?|"
    # a price ('$24.00', 'Was £15', 'Price per 100ml: £25.98', '24,90 €'), never beside a
    # product's name ('Retinol Serum $35' keeps its name), a breadcrumb ('Home > Skincare'), 'Q&A'
    r"(?:(?:was|now|from|only|rrp|our|regular|sale|unit|compare\s+at)\s+)*"
    r"(?:price(?:\s+per\s+[\w.]+)?\s*:?\s*)?"
    r"(?:[$£€¥₩]\s?[\d.,]+|[\d.,]+\s?(?:€|eur|usd|gbp))(?:\s*(?:each|usd|gbp|eur))?|"
    r"(?:home|shop)\s*[>›»/].*|q\s*&\s*a|"
    r"add\s+to\s+(?:bag|basket|cart|wish\s?list)|write\s+a\s+review|"
    r"(?:in|out\s+of|low\s+in|limited)\s+stock\b.*|"
    r"limited\s+edition|travel\s+size|award[- ]winning.*|"
    r"(?:\d[\d,.]*\s+)?(?:customer\s+)?(?:reviews?|ratings?)(?:\s*\(\s*[\d,.]+\s*\))?|"
    r"follow\s+us\b.*|"
    r"(?:value|trial|mini)\s+size|refill(?:\s+available)?|gift\s+with\s+purchase|new|exclusive|"
    r"money[- ]back\s+guarantee|new\s+look|same\s+formula|voted\s+.*|award\s+winner.*|#\s*1\b.*|"
    r"as\s+seen\s+on\s+.*|item\s*(?:#|no\.?|number)?\s*:?\s*[\w-]*\d[\w-]*|\d+\s*m|"
    # who certifies it, and nothing else: 'Leaping Bunny approved', 'COSMOS ORGANIC certified
    # by Soil Association' (never 'USDA Organic Peppermint Oil', an ingredient)
    r"(?:.*\b(?:certified|approved|accredited)(?:\s+\w+)?\s+by\s+(?:the\s+)?)?"
    r"(?:leaping\s+bunny|peta|ecocert|cosmos|soil\s+association|natrue|usda|fsc|b\s+corp|"
    r"vegan\s+society)(?:\s+(?:certified|approved|accredited|standard|seal|logo|member|mix|"
    r"packaging|organic|natural|vegan|cosmetics?|program(?:me)?))*|"
    r"(?:climate|carbon)\s+neutral.*|vegan\s+formula|"
    # a shop's badge: 'Clean at Sephora', 'Conscious Beauty at Ulta', 'Clean Beauty'
    r"(?:clean|conscious|planet\s+aware)(?:\s+beauty)?(?:\s+at\s+[\w&' ]{2,30})?|"
    # net contents ('250ml', 'Net Wt. 1.7 oz / 50 g'), or a product's name and its volume
    # ('Barrier Repair Balm 50 ml'); a weight or a concentration beside a name is the
    # ingredient's amount ('Urea 10 g', 'Retinol 0.5 mg/ml'), and a name after an amount
    # counts ('8fl.Oz Butylphenyl Methylpropional')
    rf"{_NAME_AND_VOLUME}|"
    r"(?:(?:net\s+)?(?:wt\.?|weight|contents?|size|volume)\s*:?\s*)?"
    r"[\d.,]+\s*(?:ml|fl\.?\s?oz|oz|g|kg|l)\b\.?(?:\s*[℮e]\b)?"
    r"(?:\s*[/(]?\s*[\d.,]+\s*(?:ml|fl\.?\s?oz|oz|g|kg|l)\b\.?\)?)*|"
    r"(?:store|keep|for\s+external\s+use|avoid\s+contact|do\s+not|discard|dispose|use\s+within|"
    r"use\s+by|best\s+before|once\s+opened|made\s+in|product\s+of|apply|hergestellt\s+in|"
    r"fabriqu[ée]\s+en|hecho\s+en|fabricado\s+en|prodotto\s+in)\b.*)$"
)
# What a shop or a scraped table prints where it has no list: 'N/A', 'nan', '#NAME?', 'No info',
# 'See packaging', 'Visit the Dior boutique'.
_PLACEHOLDER = re.compile(
    r"(?i)^(?:n/?a|nan|none|null|nil|#[a-z/0!]+[?!]?|no\s+info(?:rmation)?|tbc|"
    r"(?:ingredients?\s+)?(?:not\s+(?:available|listed|provided|known)|to\s+be\s+confirmed|"
    r"coming\s+soon)|(?:please\s+)?(?:see|refer\s+to|check)\s+(?:[\w ]{0,30}\s)?"
    r"(?:packaging|pack|box|label|product|carton|tube|bottle|jar)\b.*|visit\s+the\s+.{1,60}\s+(?:boutique|store|shop|"
    r"website|site|page))$"
)


def take_claims(text: str) -> tuple[str, list[str]]:
    """The text without its claims, and those claims.

    A claim's enumeration ends at the item joined by 'and', 'or' or '&'; without one it holds
    a single item. So 'Free of parabens, Retinol, Glycerin.' keeps Retinol and Glycerin:
    nothing a claim sets aside may hide a name the list goes on with.
    """
    lowered = text.lower()
    if not any(word in lowered for word in _CLAIM_HINTS):
        return text, []
    claims: list[str] = []
    if "free" in lowered:
        text = _FREE_LINE.sub(lambda line: _free_line(line, claims), text)
    kept: list[str] = []
    position = 0
    for start in _CLAIM.finditer(text):
        if start.start() < position:
            continue
        # A claim inside a wrapped list ('…, Cetearyl Alcohol,⏎Free of parabens and sulfates,
        # Retinol and Squalane.') ends at its first 'and': what follows is the list again.
        in_list = text[: start.start()].rstrip(" \t\n").endswith(",")
        end = _claim_end(text, start, in_list)
        kept.append(text[position : start.start()])
        claims.append(text[start.start() : end].strip(" ,;\n"))
        position = end
    kept.append(text[position:])
    return ("\n".join(kept), claims) if claims else (text, [])


def _free_line(line: re.Match[str], claims: list[str]) -> str:
    """A line that is one claim, 'free' said once of all its items; not when the line before
    it ends in a comma, so that a wrapped list's last line keeps its names."""
    if line.string[: line.start()].rstrip(" \t\n").endswith(","):
        return line.group()
    claims.append(line.group().strip(" \t\n.!"))
    return "\n"


# 'Paraben, sulfate, retinol & fragrance free', 'Sulfate-, paraben- and retinol-free formula':
# a line or a sentence of short items, the last joined by 'and', 'or' or '&', then 'free'
# (a slash, a bullet or a spaced dash separates names, so '… soft and smooth • Fragrance-free'
# is no such line, and 'free of' claims what follows it).
_ITEM = rf"(?:(?!{SPACED_DASH.pattern})[^.:/{re.escape(SEPARATORS)}])"  # no separator
_FREE_LINE = re.compile(
    rf"(?im)(?:^|(?<=[.!?])[ \t]+)[ \t]*(?:{_ITEM}{{1,40}},[ \t]*){{1,10}}"
    rf"(?:{_ITEM}{{1,40}}?\s+)?(?:&|and|or|\+)\s+"
    rf"{_ITEM}{{1,40}}?[\s-]free\b(?!\s+(?:of|from)\b){_ITEM}{{0,30}}?[ \t]*(?:[.!](?=\s|$)|$)"
)


def _block_end(text: str, start: int) -> int:
    """Where the items of 'Free from:' on the lines below it end: its next line when that
    holds them all ('Parabens, Sulfates, Retinol'); else a block of one short item a line,
    up to a blank line or a line holding more than one."""
    lines = text[start:].split("\n")
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return len(text)
    taken = first + 1
    if not SEPARATOR_CHARS.search(lines[first]):
        while (
            taken < len(lines)
            and lines[taken].strip()
            and not SEPARATOR_CHARS.search(lines[taken])
            and len(lines[taken].split()) <= _BLOCK_ITEM_WORDS
        ):
            taken += 1
    end = start + sum(len(line) + 1 for line in lines[:taken]) - 1
    last = start + sum(len(line) + 1 for line in lines[: taken - 1])  # its last line's start
    stop = _LINE_END.search(text, last, end)  # as on the heading's line, a sentence ends it
    return stop.start() if stop else end


_BLOCK_ITEM_WORDS = 4  # 'Mineral Oil', 'Artificial Fragrance', 'Drying Alcohol'


def _claim_end(text: str, start: re.Match[str], in_list: bool) -> int:
    position = start.end()
    line = text[position:].split("\n", 1)[0]
    # 'Free from:⏎Parabens, Retinol', 'Formulated without⏎…': its items on the lines below;
    # not after one word with no colon ('Hydro Boost Zero⏎Aqua, …' is a name over its list)
    words = start.group("words")
    if line.strip() == ":" or (not line.strip() and words and len(words.split()) > 1):
        return _block_end(text, position + len(line))
    rest = line.strip()
    if rest.startswith(":"):  # 'FREE FROM: A • B • C'
        stop = _LINE_END.search(text, position)
        return stop.start() if stop else len(text)
    first = None
    for item in _CLAIM_ITEM.finditer(text, position):
        if not item.group():
            break
        first = first or item
        last = item.group()[-1:]
        if last == "/" or (last in SEPARATORS and last not in ",;\n"):  # a slash or a bullet
            # may start the list again
            return item.end() - 1 if item is first else first.end()
        if item is not first and (is_prose(item.group()) or len(item.group().split()) > 5):
            return first.end()  # a sentence, not an item of the enumeration
        if _CONJUNCTION.search(item.group()):
            return item.end() if in_list else _enumeration_end(text, item)
        if last in ".!?\n;":  # the sentence ends with no 'and': one item is claimed
            return first.end()
    return first.end() if first else len(text)


def _enumeration_end(text: str, joined: re.Match[str]) -> int:
    """Where an enumeration ends whose item `joined` holds an 'and': there, unless more items
    follow in the same sentence up to one that also holds an 'and' and ends it ('Free of
    sulfates SLS and SLES, parabens, …, hydroquinone, and triclocarban.')."""
    if joined.group()[-1:] != ",":
        return joined.end()
    for item in _CLAIM_ITEM.finditer(text, joined.end()):
        last = item.group()[-1:]
        if not item.group() or last in "/•|" or is_prose(item.group()):
            break
        if last != ",":
            ends = last in ".!?\n;" or item.end() == len(text)
            return item.end() if ends and _CONJUNCTION.search(item.group()) else joined.end()
    return joined.end()


def is_claim(token: str) -> bool:
    """Text about the product, or standing where a list should be: never an ingredient. A
    short claim in any language ('Für empfindliche Haut', 'Testé dermatologiquement') is two
    words or more, every one of them a word no listed name uses."""
    return bool(_CLAIM_TOKEN.match(token) or _PLACEHOLDER.match(token)) or all_claim_words(token)
