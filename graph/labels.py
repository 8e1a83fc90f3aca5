"""Split a pasted ingredient label into tokens, each with the names it may stand for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph.claims import NAME_AND_VOLUME, is_claim, take_claims
from graph.errors import InvalidValue, LabelTooLong
from graph.items import LIST_MARK, SEPARATOR_CHARS, SPACED_DASH, split_top_level
from graph.pasted import plain_text
from graph.prose import (
    NONE_OF_IT,
    is_lone_prose_word,
    is_prose,
    is_prose_sentence,
    prose_subject,
    split_blurb,
)
from graph.sections import (
    DOT_LEADER,
    is_code,
    split_parts,
    split_purpose,
    take_company_lines,
    take_footnote_legends,
)
from graph.tokens import (
    EDGE_JUNK,
    PARENTHESIS,
    PLANT_PART_WORDS,
    Token,
    has_top_level_slash,
    is_footnote_legend,
    normalize_name,
    read_token,
    split_top_level_slashes,
)

MAX_LABEL_CHARS = 20_000  # the longest real labels, marketing copy included, are ~7,300

_PLUS_MINUS = r"(?:[(\[]\s*\+\s*/\s*-\s*[)\]]|\+\s*/\s*-|±)"
# Starts at its words: a '[' or spaces before them end the list before anyway (an unmatched
# bracket separates), and a pattern that may start anywhere is 3 times slower to search.
_MAY_CONTAIN = re.compile(
    rf"(?i)(?:(?:may\s+contain|peut\s+contenir|kann\s+enthalten)\s*[:\-]?\s*{_PLUS_MINUS}?"
    rf"|{_PLUS_MINUS})\s*[:\-]?"
)
# Several products or shades in one field: each part's list is read, all together.
_PART_HEADER = re.compile(r"(?i)\b(?:step\s*\d+|shade|product\s*\d+|part\s*\d+)\s*[:\-–]")
_URL = re.compile(r"(?i)^\s*(?:https?://|www\.)\S+\s*$")
_PLANT_PART = re.compile(rf"(?i){PLANT_PART_WORDS}")
_BLEND = re.compile(r"(?i)\s\(and\)\s")  # 'Caprylic/Capric Triglyceride (and) Tocopherol'
_FULL_STOP = re.compile(
    r"(?<!\bNo)(?<!\bno)(?<!\bNO)(?<!\bExt)(?<!\bext)(?<!\bEXT)(?<!\bVit)(?<!\bvit)(?<!\bVIT)"
    r"(?<!\bq\.s)(?<!\bQ\.S)\.\s+(?=\S)"
)
# A list that says it goes on where we cannot see it: '…', '[...]', 'etc.', 'and more',
# 'see the full list on the pack'. What it hides may be anything.
_CUT_SHORT = re.compile(
    r"(?i)[\[(]\s*(?:\.{3,}+|…)\s*[\])]|\betc\b\.?|\band\s+other\s+ingredients\b|"
    r"\(?\s*(?:please\s+)?see\s+(?:the\s+)?(?:full|complete)\s+(?:ingredients?\s+)?list\b[^,)\n]*\)?|"
    # an ellipsis or 'and more' only at the end: dot leaders ('3% …… Sunscreen') go on
    r"(?:(?<!\.)\.{3,}+|…|\band\s+(?:much\s+)?more\b)(?=(?:\s*(?:and\s+(?:much\s+)?more|etc\b\.?))?"
    r"[\s,.;)\]]*$)"
)
_NOTE_AFTER_STOP = re.compile(r"\.\s+(?=[*†‡°])")
_CODE = re.compile(r"<[^<>]{0,40}>")  # retailer item codes and stray HTML: <ILN39837>, <b>
# A product's name from the front of its pack: names and amounts joined by '+', on one line
# ('Niacinamide 10% + Zinc 1%', 'Hyaluronic Acid 2% + B5'); a list has commas.
_FRONT_NAME = re.compile(r"^(?=[^\n]{0,100}$)(?=[^\n]*%)[^,;\n+]{2,40}(?:\+[^,;\n+]{1,40})+$")
_STOP_BEFORE_WORD = re.compile(r"(?<=[A-Za-z]{3})\.\s+(?=[A-Za-z©@#])")  # '… Inc. © 2024'
# A web page's toggle left glued to the last name: 'Phenoxyethanol Read More', '… [+] More'.
_TOGGLE = re.compile(
    r"(?i)\s*(?:\.{3}|…)?\s*(?:(?:read|show|see|view)\s+(?:more|less)|[\[(]\+[\])]\s*more)\W*$"
)


@dataclass(frozen=True, slots=True)
class Label:
    tokens: tuple[Token, ...]  # the ingredients, in label order; names blurbs mention last
    set_aside: tuple[str, ...]  # claims, prose, codes and sections that are no ingredients
    cut_short: str | None = None  # how the list says it goes on unseen: '…', 'etc.'
    # False when the text holds several lists (a kit's products, shades, groups by function):
    # each is weighed on its own, so one list's order says nothing of another's amounts
    one_list: bool = True
    # text about the product set aside (prose, key-ingredient lines, who made it): it may
    # name an ingredient in passing (graph/passing.py)
    prose: tuple[str, ...] = ()
    # the whole text is a product's name as the front of its pack prints it, which names
    # only what it sells: 'Niacinamide 10% + Zinc 1%'
    front_name: str | None = None


def parse_label(text: str, max_chars: int = MAX_LABEL_CHARS) -> tuple[Token, ...]:
    """Tokens in label order, each once; raises when the text cannot be a label."""
    return read_label(text, max_chars).tokens


def read_label(text: str, max_chars: int = MAX_LABEL_CHARS) -> Label:
    """The label's ingredient tokens and the text set aside; raises when there is no list."""
    if len(text) > max_chars:
        raise LabelTooLong(
            f"The label has {len(text):,} characters; the limit is {max_chars:,}.",
            field="ingredients",
        )
    if _URL.match(text):
        raise InvalidValue(
            "That looks like a web address. Paste the ingredient list itself, as printed on "
            "the product or its page.",
            field="ingredients",
        )
    text = plain_text(text)
    hints = _Hints(text)
    parted = hints.any("step", "shade", "product", "part") and bool(_PART_HEADER.search(text))
    if parted:
        text = _PART_HEADER.sub("\n", text)
    text = _NOTE_AFTER_STOP.sub("\n", text)
    if hints.any("(and)"):
        text = _BLEND.sub(",", text)
    reader = _Reader()
    lists = 0  # parts that list names not listed before: the same list in another language
    for part in split_parts(text):  # ('Ingredients: … Ingrédients: …') is still one list
        if part.kind == "aside":
            reader.aside(part.text)
        elif part.kind == "about":
            reader.about(part.text)
        elif part.kind == "blurb":
            reader.read_blurbs(part.text)
        else:
            before = len(reader.tokens)
            kind = "list" if part.kind == "group" else part.kind
            reader.read_list(part.text, hints, kind)
            lists += kind == "list" and len(reader.tokens) > before
    one_list = not parted and lists <= 1 and reader.titles <= 1
    tokens = reader.tokens + [t for t in reader.mentioned if _key(t) not in reader.seen]
    if not tokens:
        raise no_ingredients(reader.set_aside)
    return Label(
        tuple(tokens),
        tuple(dict.fromkeys(reader.set_aside)),
        reader.cut_short,
        one_list,
        tuple(reader.prose_sentences),
        front_name=" ".join(text.split()) if _FRONT_NAME.match(text.strip()) else None,
    )


def no_ingredients(set_aside: Sequence[str]) -> InvalidValue:
    """The refusal of a label that holds no ingredient, saying what it holds instead."""
    found = "; ".join(f"'{text}'" for text in list(dict.fromkeys(set_aside))[:3])
    return InvalidValue(
        "No ingredients found in the label"
        + (f"; we read only text that is not an ingredient list: {found}." if found else "."),
        field="ingredients",
    )


def _key(token: Token) -> str:
    return normalize_name(token.text)


class _Reader:
    """Collects tokens in label order, and the text set aside, as the parts are read."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.mentioned: list[Token] = []
        self.set_aside: list[str] = []
        self.prose_sentences: list[str] = []
        self.seen: set[str] = set()
        self.cut_short: str | None = None
        self.titles = 0  # lists a title opens ('Serum: …'): two or more are several lists

    def aside(self, text: str) -> None:
        text = " ".join(text.split()).strip(" ,;.")
        if text:
            self.set_aside.append(text)

    def about(self, text: str) -> None:
        """What the product is ('Description: …', 'Brand: …'): set aside, each of its lines
        and sentences scanned for names in passing."""
        self.aside(text)
        self.prose_sentences += [line for line in _BLURB_LINE.split(text) if line.strip()]

    def prose(self, text: str) -> None:
        """A sentence set aside; a name it opens with counts as present, as a blurb's does
        ('Retinol to smooth the look of fine lines')."""
        self.aside(text)
        self.prose_sentences.append(text)
        text = text.strip(EDGE_JUNK + "!")
        subject = prose_subject(text) or (text if len(text.split()) <= 3 else None)  # 'Retinol!'
        token = read_token(subject, False) if subject else None
        if token is not None:
            self.mentioned.append(_mentioned(token))

    def add(self, token: Token | None) -> None:
        if token is not None and _key(token) not in self.seen:
            self.seen.add(_key(token))
            self.tokens.append(token)

    def read_blurbs(self, text: str) -> None:
        """A key-ingredients part: set aside, but the name each line opens with, before its
        colon or dash ('Retinol: smooths …', 'Retinol - smooths …'), is an ingredient the
        product contains when it is a listed name; a restricted name further on keeps the
        answer from okay, as in prose."""
        self.aside(text)
        for line in _BLURB_LINE.split(text):
            line = line.strip()
            blurb = split_blurb(line)
            head = blurb[0] if blurb is not None else _BLURB_HEAD.split(line, maxsplit=1)[0]
            token = read_token(head, False) if head != line else None
            if token is not None:
                self.mentioned.append(_mentioned(token))
            if line:
                self.prose_sentences.append(line)

    def read_list(self, text: str, hints: _Hints, kind: str) -> None:
        """A part that lists ingredients ('list', drug-facts 'active'), or the preamble before
        the first heading, whose names count only as mentioned."""
        text, claims = take_claims(text)
        for claim in claims:
            self.aside(claim)
        text, companies = take_company_lines(text)
        for company in companies:
            self.aside(company)
            self.prose_sentences.append(company)
        text, legends = take_footnote_legends(text)  # '*Coconut, vegetable or plant derived.'
        for legend in legends:
            self.aside(legend)
        if kind != "preamble" and not LIST_MARK.search(text):
            text = _FULL_STOP.sub("\n", text)  # 'Aqua. Glycerin. Retinol.'
        # A sentence may end inside a list ('Glycerin. Retinol', '… Phenoxyethanol. Store
        # below 25 °C'); a sentence of prose, or of claims only, is set aside whole. Before the
        # first heading, a sentence that lists names is a list; a lone name, a mention.
        kept = []
        # Lines too: 'Store in a cool, dry place' after a list is a sentence of its own.
        lines = kind == "preamble" or "." in text or "\n" in text
        for sentence in _PREAMBLE_LINE.split(text) if lines else [text]:
            if split_blurb(sentence.strip()) is not None:
                self.read_piece(sentence, False, kind)  # 'Retinol: smooths fine lines.'
            elif is_prose_sentence(sentence):
                self.prose(sentence)
            elif _only_claims(sentence):
                self.aside(sentence)
            elif kind == "preamble" and not LIST_MARK.search(sentence.strip(EDGE_JUNK)):
                self.read_piece(sentence, False, kind)
            else:
                kept.append(sentence)
        text = "\n".join(kept)
        cut = _CUT_SHORT.search(text)
        if cut is not None:  # 'Aqua, Glycerin, …': the rest of the list is not here
            self.cut_short = self.cut_short or " ".join(cut.group().split())
            text = _CUT_SHORT.sub(",", text)
        kind = "list" if kind == "preamble" else kind
        main, conditional = _split_may_contain(text, hints)
        for part, is_conditional in ((main, False), (conditional, True)):
            for raw in split_top_level(_CODE.sub(" ", part)):
                self.read_piece(raw, is_conditional, kind)

    def read_piece(self, raw: str, conditional: bool, kind: str) -> None:
        active = kind == "active"
        raw = raw.strip()
        stops = list(_STOP_BEFORE_WORD.finditer(raw))  # 'petrolatum. fragrance free', lower case
        tail = raw[stops[-1].end() :] if stops else ""
        if tail and is_claim(tail.strip(EDGE_JUNK + "!")) and not _names_between_slashes(tail):
            self.aside(tail)
            raw = raw[: stops[-1].start()]
        toggle = _TOGGLE.search(raw)
        if toggle is not None and toggle.start() > 0:
            self.aside(toggle.group().strip(EDGE_JUNK + "[]()+…"))
            raw = raw[: toggle.start()]
        if active or _STATED_PURPOSE.search(raw) or DOT_LEADER.search(raw):
            raw, purpose = split_purpose(raw)  # 'Avobenzone 3% ........ Sunscreen'
            if purpose:
                self.aside(purpose)
        if has_top_level_slash(raw):  # 'Retinol/Fragrance-free': only the name stays
            pieces = split_top_level_slashes(raw)
            aside = [piece for piece in pieces if _not_a_name(piece)]
            for piece in aside:
                self.aside(piece.strip(EDGE_JUNK))
            if aside:
                raw = "/".join(piece for piece in pieces if piece not in aside).strip()
        if not raw.strip(EDGE_JUNK):
            return
        if is_footnote_legend(raw):
            self.aside(raw)  # the legend of a footnote: '*Certified Organic'
            return
        if is_claim(raw.strip(EDGE_JUNK)) or _copy_word(raw.strip(EDGE_JUNK)):
            self.aside(raw.strip(EDGE_JUNK))
            named = read_token(raw, conditional) if NAME_AND_VOLUME.match(raw) else None
            if named is not None:  # 'Retinol Serum 30 ml', as a product's name without it
                self.mentioned.append(_mentioned(named))
            return
        if raw.rstrip(" '\"[]").endswith(":"):  # a part's title ('Big Sky:'), a list follows
            title = read_token(raw, conditional)
            if title is not None:
                self.mentioned.append(_mentioned(title))
            return
        blurb = split_blurb(raw)
        if blurb is not None:
            self.aside(blurb[1])
            head = read_token(blurb[0], conditional)
            if head is not None:  # a highlight says the product contains it, if it is a name
                self.mentioned.append(_mentioned(head))
            return
        titled = _TITLED.match(raw)
        if titled and not is_prose(titled.group(2)) and not is_code(raw):  # 'Serum: Aqua'
            self.titles += 1  # a kit's product or a shade, its list starting after its title
            title = read_token(titled.group(1), conditional)
            if title is not None:
                self.mentioned.append(_mentioned(title))
            raw = titled.group(2)
            if is_claim(raw.strip(EDGE_JUNK)):  # 'PAO: 12 months', 'Allergens: none'
                self.aside(raw)
                return
        blend = _BLEND_CONTENTS.search(raw)
        if blend is not None:  # 'Emulsifying Wax BP (contains Cetostearyl Alcohol and …)'
            self.aside(raw[: blend.start()].strip(EDGE_JUNK))
            for part in re.split(r",|\band\b|&", blend.group(1)):
                self.add(read_token(part, conditional, active))
            return
        trade = _TRADE_NAME_CONTENTS.match(raw)
        if trade is not None:  # 'Matrixyl® 3000 (Palmitoyl Tripeptide-1, …)': a supplier's
            head = read_token(trade.group(1), conditional)  # name, then what it is made of
            if head is not None:
                self.mentioned.append(_mentioned(head))
            for part in re.split(r"[,;]", trade.group(2)):
                self.add(read_token(part, conditional, active))
            return
        for inner in PARENTHESIS.findall(raw):  # 'Cetrimonium Chloride (as a conditioning agent)'
            if is_prose(inner):
                self.aside(inner)
                raw = raw.replace(inner, " ").replace("( )", " ").replace("[ ]", " ")
        if is_prose(raw) and not _names_between_slashes(raw):  # 'Soothes/Vitamin A Acetate'
            self.prose(raw)
            return
        token = read_token(raw, conditional, active)
        if token is not None and NONE_OF_IT.search(raw):  # '0% retinol', 'Contains 0% alcohol'
            self.aside(raw)
        elif kind == "preamble" and token is not None:
            self.mentioned.append(_mentioned(token))
        else:
            self.add(token)


def _not_a_name(piece: str) -> bool:
    """A claim, a footnote's legend, what an ingredient does or prose standing between
    slashes: '*Antistatic agent/agent antistatique', 'Soothes'."""
    text = piece.strip(EDGE_JUNK)
    return (
        is_footnote_legend(piece)
        or (is_claim(text) and not NAME_AND_VOLUME.match(text))  # 'Retinol Serum 30 ml' names
        or is_prose(piece)
        or _copy_word(text)
        or bool(_FUNCTION.match(text))
    )


def _copy_word(text: str) -> bool:
    """One word of copy ('Gentle', 'Soothes'); not a plant's part ('Leaves' is both)."""
    return is_lone_prose_word(text) and not _PLANT_PART.fullmatch(text)


def _names_between_slashes(text: str) -> bool:
    """Text whose slashes part a name from copy or claims ('© 2024 GlowLab Inc/Retinol'): it
    is told part by part, never as one sentence or claim."""
    return has_top_level_slash(text) and not all(
        _not_a_name(part) for part in split_top_level_slashes(text)
    )


def _only_claims(sentence: str) -> bool:
    """'Vegan • Cruelty-free', 'Paraben-free - Sulfate-free': claims between separators or
    spaced dashes, and nothing else."""
    pieces = [
        piece.strip(EDGE_JUNK)
        for part in SEPARATOR_CHARS.split(sentence)
        for piece in SPACED_DASH.split(part)
    ]
    pieces = [piece for piece in pieces if piece]
    return len(pieces) > 1 and all(
        is_claim(piece) and not _names_between_slashes(piece) and not NAME_AND_VOLUME.match(piece)
        for piece in pieces  # a product's name, with its volume, is read as the name is
    )


def _mentioned(token: Token) -> Token:
    return Token(token.text, token.candidates, mentioned=True)


class _Hints:
    """Words a section regex needs, to skip the regex on the many labels without them.

    Plain ASCII labels only: there `str.lower()` and the regexes' IGNORECASE agree exactly, so
    a label without any of a regex's words cannot match it. Any other text runs every regex.
    """

    def __init__(self, text: str) -> None:
        self.lowered = text.lower() if text.isascii() else None

    def any(self, *words: str) -> bool:
        return self.lowered is None or any(word in self.lowered for word in words)


# A full stop after a word of three letters or more, then a capital: a sentence ends there.
_SENTENCE_END = re.compile(
    r"(?:(?<=[A-Za-z]{3}[.!?])|(?<=[A-Za-z]{2}[!?][.])|(?<=\s[A-Z][.])|(?<=[\d%][.])|"
    r"(?<=\d-[A-Za-z][.])|(?<=[A-Za-z]{3}-[A-Z][.])"  # '… Retin-A. Glycerin'
    r"|(?<=\bml[.])|(?<=\bML[.])|(?<=\boz[.])|(?<=\bOZ[.]))"  # '50 ml. Glycerin'
    r"(?<!ext\.)(?<!Ext\.)(?<!EXT\.)(?<!\bvit\.)(?<!\bVit\.)(?<!\bVIT\.)(?<!\bPat\.)(?<!\bPAT\.)"
    r"(?<!\bRef\.)(?<!\bREF\.)(?<!\bExp\.)(?<!\bEXP\.)(?<!\bLot\.)(?<!\bLOT\.)\s+"  # a pack's codes
    # a name may start with its locants ('1,2-', 'p-', 'sh-'), a copyright with its sign, the
    # net contents with a number ('… Retinol. 50 ml'); a code of 4 digits or more may end the
    # line ('… Panthenol. 12345/A'), where 'Polysorbate. 20' is a slip in one name
    r"(?=[A-Z*(\[©]|\d+\s*%|\d+(?:[.,]\d+)?\s*(?:ml|g|mg|fl\.?\s?oz|oz)\b"
    r"|\d+(?:,\d+)*-[A-Za-z]|[a-z]{1,2}-[A-Za-z]|\d{4}[\w./-]*[ \t]*(?m:$))"
    r"|(?<=[)\]][.!?])\s+(?=[A-Z])"
    # two capitals, a full stop, then a capitalised word: 'HQ. Glycerin', 'Mexoryl XL. Aqua'
    r"|(?<=\b[A-Z]{2}[.])(?<!FL\.)(?<!OZ\.)\s+(?=[A-Z][a-z]{2})"
)
# A blend's bracket that says what it holds: its components are the ingredients.
_BLEND_CONTENTS = re.compile(
    r"(?i)[(\[]\s*(?:contains|containing|comprising|consists of)\s*:?\s*([^()\[\]]+)[)\]]\s*$"
)
# A supplier's trade name (marked ® or ™, or called a complex or a blend) with the names
# of what it holds in brackets.
_TRADE_NAME_CONTENTS = re.compile(
    r"(?i)^([^()\[\]]*(?:[®™]|\b(?:complex|blend|system|technology|booster)\b)[^()\[\]]*)"
    r"[(\[]([^()\[\]]*[,;][^()\[\]]*)[)\]]\s*$"
)
_FUNCTION = re.compile(r"(?i)^(?:agents?\s+[\w-]+|[\w-]+\s+agents?)$")  # in English or French
# A title before a list's first name, on the same line: 'Serum: Aqua', 'Shade 01 Ivory: Talc'.
_TITLED = re.compile(r"^\s*([^:()\[\]]{2,60}?)\s*:\s*(\S.*)$", re.DOTALL)
_PREAMBLE_LINE = re.compile(rf"{_SENTENCE_END.pattern}|\n+")
_BLURB_LINE = re.compile(r"\n|[•·●▪]|(?<=[.!?])\s+(?=[A-Z])")
_BLURB_HEAD = re.compile(r"\s[-–—]\s|\s?[:：]\s")  # 'Retinol - smooths …', 'Retinol: …'
_STATED_PURPOSE = re.compile(r"(?i)(?:\d\s*%|:)[\s.…]*(?:sunscreen|skin protectant)\b")


def _split_may_contain(text: str, hints: _Hints) -> tuple[str, str]:
    if not hints.any("contain", "contenir", "enthalten", "+"):
        return text, ""
    marker = _MAY_CONTAIN.search(text)
    if marker is None:
        return text, ""
    # A later marker (the next shade's or product's) separates: '… Polysorbate 60. [+/- CI
    # 77499]' would otherwise be one name, read as its first.
    return text[: marker.start()], _MAY_CONTAIN.sub(",", text[marker.end() :])
