"""Ingredient names written in French, Spanish or German, in INCI's English words and order.

Bilingual packs (Canada's 'Cetyl Alcohol/Alcool cétylique') and shops of other countries
('Acide glycolique', 'Ácido láctico', 'Hyaluronate de sodium') write the chemical names of
the list in their own language. French and Spanish build those names by rules INCI mirrors:
the acid before its adjective ('acide glycolique', 'glycolic acid'), the salt's metal or the
ester's alcohol after 'de' ('hyaluronate de sodium', 'palmitate de rétinyle'), '-ique'/'-ico'
for '-ic', '-ure'/'-uro' for '-ide'; German glues them into one word ('Retinylpalmitat',
'Salicylsäure'). Only word order and endings are rewritten: a rewritten name counts only if the
vocabulary lists it, or lists a name within the misspelling distance of decision 001
('hialuronic acid' is Spanish's spelling of 'hyaluronic acid').
"""

from __future__ import annotations

import re

from graph.tokens import normalize_name

LONGEST_NAME_CHARS = 60  # 'Acide 2-hydroxy-…' aside, the names rewritten here are far shorter
# The words a French or Spanish chemical name is made with: nothing else is rewritten.
_FOREIGN = re.compile(
    r"(?i)(?:^|\s)(?:acide|[áa]cido|alcool|alcohol|de|del|d['’]|vitamine|vitamina)(?:\s|$|['’])"
)
_ACID = re.compile(r"^(?:acide|acido)\s+([a-z]+?)(?:ique|ico)$")
_FATTY_ALCOHOL = re.compile(r"^(?:alcool\s+([a-z]+?)ylique|alcohol\s+([a-z]+?)ilico)$")
# A salt or an ester, its cation or alcohol after 'de': 'hyaluronate de sodium', 'palmitate
# de rétinyle' (Retinyl Palmitate), 'acétate de tocophéryle', 'palmitato de retinilo'.
_SALT = re.compile(
    r"^([a-z]+)\s+(?:de\s+|d'\s*)(sodium|sodio|potassium|potasio|magnesium|magnesio|calcium|"
    r"calcio|zinc|cinc|titane|titanio|[a-z]+yle|[a-z]+ilo)$"
)
# German glues the words: 'Salicylsäure', 'Ascorbinsäure' (-säure: '-ic acid'), and a salt or
# an ester is one word ending in '-at': 'Natriumhyaluronat', 'Retinylpalmitat'.
_GERMAN_ACID = re.compile(r"^([a-z]{4,}?)(?:in)?saure$")
_GERMAN_SALT = re.compile(r"^(natrium|kalium|magnesium|calcium|zink|[a-z]{3,}yl)([a-z]{3,})at$")
_GERMAN_METALS = {"natrium": "sodium", "kalium": "potassium", "zink": "zinc"}
_VITAMIN = re.compile(r"^vitamin[ea]\s+([a-z]\d?)$")
_PRODUCT = re.compile(
    r"^(huile|aceite|extrait|extracto|beurre|manteca|cire|cera)\s+(?:de\s+|d['’]\s*|del\s+)(.+)$"
)
_PRODUCT_WORD = {
    "huile": "oil",
    "aceite": "oil",
    "extrait": "extract",
    "extracto": "extract",
    "beurre": "butter",
    "manteca": "butter",
    "cire": "wax",
    "cera": "wax",
}
# Whole names; the knowledge lists the others ("Eau", "Agua") as Aqua's names itself.
_WHOLE = {"alcool": "alcohol", "alcool denature": "alcohol denat"}
# The anion of a salt: '-ure' and '-uro' are '-ide' ('chlorure', 'cloruro'), so are '-yde'
# and '-ido' ('oxyde', 'óxido'); '-ato' is '-ate' ('hialuronato').
_ANION_ENDINGS = (("ure", "ide"), ("uro", "ide"), ("yde", "ide"), ("ido", "ide"), ("ato", "ate"))
_METALS = {
    "sodio": "sodium",
    "potasio": "potassium",
    "magnesio": "magnesium",
    "calcio": "calcium",
    "cinc": "zinc",
    "titane": "titanium",
    "titanio": "titanium",
}


def english_forms(text: str) -> list[str]:
    """The INCI-English forms a French, Spanish or German name may stand for; none for any
    other."""
    name = normalize_name(text)
    if len(name) > LONGEST_NAME_CHARS:  # and the patterns' backtracking stays short
        return []
    if name in _WHOLE:
        return [_WHOLE[name]]
    if " " not in name:
        return _german(name)
    if not _FOREIGN.search(text):
        return []
    if acid := _ACID.match(name):
        return [f"{acid[1]}ic acid"]
    if fatty := _FATTY_ALCOHOL.match(name):
        return [f"{fatty[1] or fatty[2]}yl alcohol"]
    if salt := _SALT.match(name):
        anion = salt[1]
        for ending, english in _ANION_ENDINGS:
            if anion.endswith(ending):
                anion = anion[: -len(ending)] + english
        cation = _METALS.get(salt[2]) or re.sub(r"(?:yle|ilo)$", "yl", salt[2])
        return [f"{cation} {anion}"]
    if vitamin := _VITAMIN.match(name):
        return [f"vitamin {vitamin[1]}"]
    if product := _PRODUCT.match(name):
        return [f"{product[2]} {_PRODUCT_WORD[product[1]]}"]
    return []


def _german(word: str) -> list[str]:
    if acid := _GERMAN_ACID.match(word):
        return [f"{acid[1]}ic acid"]
    if salt := _GERMAN_SALT.match(word):
        return [f"{_GERMAN_METALS.get(salt[1], salt[1])} {salt[2]}ate"]
    return []
