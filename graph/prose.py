"""Tell prose from names: the words no ingredient name uses, and what a sentence says.

A label's marketing copy, claims and key-ingredient blurbs are told from its list by words
that no listed name holds, in English and in the other languages packs print claims in (a
test holds them to the whole vocabulary). graph/sections.py cuts a label into parts with
these; graph/passing.py asks whether a sentence says a name is absent.
"""

from __future__ import annotations

import re

from graph.items import SEPARATORS

PROSE_WORDS = frozenset(
    re.findall(
        r"[^\W\d_]+",
        """
    the a an for with your you our to in on is are this that it its helps help may be been will
    can from by more as at or we us which while these those into every skin feel look looks
    leaves please refer
    """
        # marketing words, none of them in any listed name (checked against the whole vocabulary)
        """
    contains containing nurture nourish nourishes nourishing protect protects protecting
    improve improves improving boost boosts boosting overall appearance radiance radiant levels
    moisture soothe soothes smooth smooths resurface gentle gently repair repairs restore
    restores reduce reduces reducing visibly keep keeps make makes give gives provide provides
    without their them they so not also just only very most than when where how what why who
    each daily use using apply formulated designed enriched infused feels softer smoother
    brighter healthier younger firmer complexion wrinkles lines dull dryness frizz shine
    strengthen strengthens damage damaged moisturizes moisturises hydrates origin
    """
        # what a shop says of its list ('Ingredient lists may change; always check the pack')
        """
    read about here details note always check vary varies change changes subject ingredient
    ingredients list lists product receive latest current accurate information updated
    regularly dermatologist tested
    """
        # what a clinical claim says ('100% showed improved hydration after one week')
        """
    showed shown show shows improved increase increased hydration after before clinical
    clinically study studies results participants users week weeks
    """
        # what copy says of when and with what to use it ('pairs well with your retinol')
        """
    pairs pair paired well ideal treatments treatment procedures microneedling laser lasers peels
    facial facials if post aftercare recovery companion compatible inspired routine night lotion
    balm moisturizer moisturiser cleanser toner mask
    """
        # how well a shop says it sells and is liked ('Our bestseller, loved by thousands')
        """
    loved beloved favourite favorite favourites favorites fans customers reviewers
    thousands millions bestselling bestseller bestsellers trusted iconic cult sold
    """
        # a shop's page around the list: its buttons, stock, delivery, prices, payments,
        # reviews and sharing ('Add to bag', 'Ships in 1-2 business days', 'Verified purchase')
        """
    add bag basket cart checkout shipping ships delivery returns sold out available
    online store collect click order orders business days subscribe points earn rewards
    review reviews rated rating ratings stars helpful verified purchase question questions
    answers ask find guide top back price regular sale unit tax included calculated wrap gift
    limited was now klarna afterpay clearpay paypal pay later payments interest share facebook
    twitter pinterest instagram tiktok youtube home skincare bodycare haircare moisturisers
    moisturizers serums cleansers toners masks sustainably sourced am pm save write size
    recommended shop collection compare quantity qty auto replenish select exclusive see
    """
        # what copy says a product does and how it feels ('melts in instantly, leaving skin
        # plump', 'Calms visible redness', 'Non-greasy finish', '"My skin has never felt
        # better!" — a verified buyer')
        """
    leaving especially compromised calms calm calming visible greasy finish buyer better
    never felt dealing instantly melts plump plumping comfortable comfort breathable hours
    whether powered trio ratio barrier redness sensitivity hero packed bounce science love
    best friend award winning lightweight weightless absorbs absorbing quickly residue sticky
    glow glowing dewy supple bouncy happier thank meet yet ever deeply lasting cushion silky
    velvety refreshing firming pores breakouts prone irritated stressed tired puffiness my
    has have had babies children adults kids everyone family firms renews renew overnight
    exfoliates brightens evens refines clarifies purifies balances mattifies softens plumps
    revives awakens
    """
        # who it is for and what it protects from ('for all skin types, including sensitive')
        """
    including sensitive normal oily combination type types protection clean formula
    """
        # what a pack says of itself
        """
    recycle recyclable recycled recycling packaging bottle carton tube jar pump refill
    refillable shake discard dispose responsibly
    """
        # what a pack's directions and warnings say ('If contact occurs, rinse thoroughly')
        """
    place cool rinse thoroughly occurs occur contact discontinue irritation persists consult
    doctor physician children reach eyes immediately morning
    """
        # the words of the usual claims in French, German, Spanish, Italian, Portuguese, Dutch
        # and Polish (also in no listed name; not the local names of what a list may hold:
        # 'Parfüm', 'Profumo', 'Farbstoffe')
        """
    peau peaux sensible sensibles sèche sèches types testé testée testés contrôle
    dermatologique dermatologiquement hydratante crème soin visage corps parfumé
    hypoallergénique tolérance haut empfindliche empfindlich trockene trocken hauttypen gesicht
    körper dermatologisch getestet bestätigt hautverträglichkeit feuchtigkeit pflege pflegt
    creme piel pieles seca secas tipos probado testado dermatológicamente dermatologicamente
    hidratante crema rostro cuerpo pelle pelli sensibile sensibili secca secche tipi testato
    idratante viso corpo pele peles sensível sensíveis rosto huid gevoelige droge huidtypes
    getest skóry wrażliwej testowany dermatologicznie
    """
        # and the directions and warnings packs print in them ('Appliquer matin et soir',
        # 'Kontakt mit den Augen vermeiden', 'Mantener fuera del alcance de los niños')
        """
    appliquer matin soir propre éviter contour yeux usage externe uniquement tenir hors portée
    enfants auftragen anwenden anwendung morgens abends gereinigte zweimal täglich kontakt augen
    vermeiden kinder unzugänglich aufbewahren äußerlichen äusserlichen aplicar mañana noche
    limpia evitar contacto ojos mantener fuera alcance niños externo uso applicare mattina sera
    detersa evitare contatto occhi tenere portata bambini esterno manhã noite olhos manter
    crianças contato alleen uitwendig gebruik ogen vermijden buiten bereik kinderen bewaren
    aanbrengen ochtend avond stosować rano wieczorem razy dziennie unikać kontaktu oczami
    przechowywać miejscu niedostępnym dzieci
    """,
    )
)
# The small words of the same languages: a claim holds them ('Für empfindliche Haut'), but so
# do names written in those languages ('Extrait du fruit de citron'), so they make no
# sentence prose by themselves. In no listed name either (not 'et', 'la', 'en', 'per', 'di',
# 'non', 'e', 'o', which some names hold).
FOREIGN_SMALL_WORDS = frozenset(
    re.findall(
        r"[^\W\d_]+",
        """
    pour sans avec ou de du des le les un une est au aux à très tous toutes sous frei für ohne
    mit und oder die der das den dem ein eine einer zu zum zur von bei auf ist wird sehr alle
    para sin con y el los las del todo todos muy libre senza tutti sem com voor zonder met het
    bez dla nur sobre sulla dalla dei gli il fora das dwa
    """,
    )
)
_ENDS_A_NAME = PROSE_WORDS | FOREIGN_SMALL_WORDS
_WORD = re.compile(r"(?:[^\W\d_]|')+")  # a hyphen separates: 'Post-Retinol' is two words


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


def all_claim_words(token: str) -> bool:
    """A short claim in any language ('Für empfindliche Haut', 'Testé dermatologiquement'):
    two words or more, every one of them a word no listed name uses."""
    words = [word.lower() for word in _WORD.findall(token)]
    return (
        len(words) >= 2
        and all(
            word in PROSE_WORDS or word in FOREIGN_SMALL_WORDS or word in _CLAIM_GLUE
            for word in words
        )
        and any(len(word) >= 4 and word in PROSE_WORDS for word in words)
    )


def is_lone_prose_word(token: str) -> bool:
    """One word of English copy standing alone between a list's commas ('Gentle', 'Soothes'),
    which no listed name holds; or an adjective of what the product does, alone
    ('Hydrating | Soothing | Brightening'): no listed name is one word ending in '-ing'
    (tested), though some names open with one ('Exfoliating Glycolic Acid' keeps its name)."""
    words = _WORD.findall(token)
    word = words[0].lower() if len(words) == 1 and token.strip().isalpha() else ""
    return len(word) >= 4 and (
        (word in PROSE_WORDS and word not in WORDS_NAMES_HOLD) or _DOING.fullmatch(word) is not None
    )


_DOING = re.compile(r"[a-z]{3,}ing")


# Small words of those claims that a few listed names hold too ('Glycerolum (85 per centum)',
# 'La Roche-Posay Thermal Water'): a claim's only when every other word is a claim's as well.
_CLAIM_GLUE = frozenset({"et", "la", "en", "per", "di", "e", "o", "non", "i", "w", "z", "à"})


def is_prose(token: str) -> bool:
    """A sentence rather than a name: four words or more, two of them words no name uses, or
    an exclamation or an English contraction, which no name holds ('Repair!', 'Don't')."""
    words = [word.lower() for word in _WORD.findall(token)]
    common = {word for word in words if word in PROSE_WORDS}
    # and one of them a word no name holds: 'Vitamin A/May Chang Oil' is two names
    return bool(_CHATTER.search(token)) or (
        len(words) >= 4 and len(common) >= 2 and bool(common - WORDS_NAMES_HOLD)
    )


# After a word, not inside one: 'Glycer!n' is OCR's Glycerin, not an exclamation.
_CHATTER = re.compile(r"(?i)[a-z]!+(?=\s|$)|[a-z][’']t\b|[a-z][’'](?:re|ve|ll|m)\b")


def prose_subject(text: str) -> str | None:
    """The words a sentence of prose opens with before its first common word, which may name
    an ingredient it speaks of: 'Retinol to smooth the look of fine lines' -> 'Retinol'."""
    words = text.split()
    if _words(text) & _BESIDE_ANOTHER:
        return None  # 'Glycolic Acid Peel Aftercare Balm' opens with what it follows
    for index, word in enumerate(words[:6]):
        if word.strip(",.:;!?").lower() in _ENDS_A_NAME:
            subject = words[:index]
            absent = {part for word in subject for part in word.lower().split("-")} & _ABSENT
            return " ".join(subject) if subject and not absent else None
    return None


# Words that say a name is not in the product: 'Retinol free formula', 'a retinol alternative'.
_ABSENT = frozenset(
    {"free", "without", "no", "non", "zero", "alternative", "instead", "like"}
    | {"sans", "ohne", "frei", "sin", "libre", "senza", "sem", "livre", "zonder", "bez"}
)


def says_absent(sentence: str) -> bool:
    """A sentence that says a name is not in the product, or sets the product against it:
    'a gentle alternative to retinol', 'unlike glycolic acid', 'gentler than retinol', '0 %
    retinol'."""
    return bool(_words(sentence) & (_ABSENT | _COMPARED)) or bool(NONE_OF_IT.search(sentence))


# ... or sets it beside another product or treatment, used after or with it ('pairs well with
# retinol', 'Post-Retinol Recovery Cream', 'Glycolic Acid Peel Aftercare Balm'); not 'after'
# or 'if', which copy about what a product holds uses as much ('… brighter after a week')
_BESIDE_ANOTHER = frozenset(
    {"pair", "pairs", "paired", "post", "aftercare", "companion", "compatible", "inspired"}
)
_COMPARED = frozenset({"than", "unlike", "compared", "versus", "vs", "replaces", "replace"})
_COMPARED |= _BESIDE_ANOTHER
# '0% retinol', 'Contains 0% alcohol': none of it
NONE_OF_IT = re.compile(r"(?<![\d.,])0+(?:[.,]0+)?\s*%")


# The few words of prose that some listed name holds as well ('Allium Cepa Skin Extract',
# 'May Chang Oil'); every other word of prose is in no name.
WORDS_NAMES_HOLD = frozenset({"a", "as", "from", "may", "or", "skin"})


def speaks_of(token: str) -> bool:
    """Text with a word of prose that no name holds ('Inspired by retinol', 'Buffer for your
    retinol'): a family's name in it is spoken of, not listed."""
    return bool(_words(token) & PROSE_WORDS - WORDS_NAMES_HOLD)


_PARTS = re.compile(rf"[/\\{re.escape(SEPARATORS)}]")  # a list's marks, a slash, a backslash


def is_prose_sentence(sentence: str) -> bool:
    """A whole sentence of prose, commas and all: one word in five is a word no name uses,
    and so is one word of every part between its commas (a list's names have none)."""
    words = [word.lower() for word in _WORD.findall(sentence)]
    common = [word for word in words if word in PROSE_WORDS]
    if len(words) < 4 or len(set(common)) < 2 or len(common) * 5 < len(words):
        return False
    pieces = [piece for piece in _PARTS.split(sentence) if piece.strip()]
    return all(
        # not 'Vitamin A', nor 'May Chang Oil' ('may' is a word of names too); a part of one
        # word too, when no name holds it ('For irritated skin, babies, children and adults')
        any(
            word.lower() in PROSE_WORDS - WORDS_NAMES_HOLD and len(word) > 2
            for word in _WORD.findall(piece)
        )
        for piece in pieces
    )


# What separates a list's names, never inside one blurb's name ('1,2-Hexanediol' keeps its comma).
_LISTS = re.compile(r"[;\n]|,(?!(?<=\d,)\d)")


def split_blurb(token: str) -> tuple[str, str] | None:
    """'Squalane: restores the look of healthy skin' -> the name and what is said of it."""
    head, colon, description = token.partition(":")
    if not colon or not head.strip() or not description.strip():
        return None
    if _LISTS.search(head):  # 'Aqua, Glycerin\nSize: 50 ml …': a list, then a line's title
        return None
    if len(head) > 60 or not _describes(description):
        return None
    return head.strip(" -–—•*™®"), description.strip()


def _describes(text: str) -> bool:
    """Words said of an ingredient, not a list of them: a sentence without commas that reads
    as prose, or a prose sentence whatever its commas."""
    if "," in text or ";" in text:
        return is_prose_sentence(text)
    words = [word.lower() for word in _WORD.findall(text)]
    return len(words) >= 2 and (
        text.strip()[:1].islower() or any(word in PROSE_WORDS and len(word) > 2 for word in words)
    )
