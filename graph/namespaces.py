"""The vocabulary of knowledge/vocab.ttl as Python terms, and the namespaces of our ids."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD, DefinedNamespace


class AC(DefinedNamespace):
    """Aftercare Checker vocabulary; a typo raises instead of minting a new IRI."""

    _fail = True
    _NS = Namespace("https://example.org/aftercare#")

    Procedure: URIRef
    RecoveryPhase: URIRef
    IngredientClass: URIRef
    Ingredient: URIRef
    Activity: URIRef
    ProductType: URIRef
    Condition: URIRef
    Rule: URIRef
    Contraindication: URIRef
    WarningSign: URIRef
    Source: URIRef
    Verdict: URIRef
    EvidenceGrade: URIRef
    NamePattern: URIRef
    LegalMaximum: URIRef
    TraceRole: URIRef
    FamilyException: URIRef
    OtherName: URIRef
    NameTable: URIRef
    Decision: URIRef

    Avoid: URIRef
    Caution: URIRef
    Ok: URIRef
    Recommended: URIRef
    GradeA: URIRef
    GradeB: URIRef
    GradeC: URIRef
    TeamDefault: URIRef

    procedure: URIRef
    subject: URIRef
    verdict: URIRef
    fromDay: URIRef
    untilDay: URIRef
    hours: URIRef
    durationFromSource: URIRef
    untilHealed: URIRef
    rationale: URIRef
    evidenceGrade: URIRef
    memberOf: URIRef
    impliesClass: URIRef
    expect: URIRef
    healedFromDay: URIRef
    condition: URIRef
    description: URIRef
    rank: URIRef
    url: URIRef
    doi: URIRef
    citation: URIRef
    regex: URIRef
    exceptRegex: URIRef
    cosingFunction: URIRef
    indicatedByFunction: URIRef
    indicatedBySoleFunctions: URIRef
    ingredient: URIRef
    maxPercent: URIRef
    forProductType: URIRef
    onlyAsPreservative: URIRef
    annexEntry: URIRef
    outsideLabelOrder: URIRef
    roleClass: URIRef
    upToPercent: URIRef
    activeInProductType: URIRef
    activeWithClass: URIRef
    unboundedVerdict: URIRef
    overRoleVerdict: URIRef
    withinRoleVerdict: URIRef
    activeInFirstShare: URIRef
    restrictsListedNames: URIRef
    inFamilyOf: URIRef
    assumedFor: URIRef
    alsoShortFor: URIRef
    pattern: URIRef
    name: URIRef
    table: URIRef
    nameKind: URIRef


BASE = "https://example.org/aftercare/"
PROCEDURE = Namespace(BASE + "procedure/")
PHASE = Namespace(BASE + "phase/")
RULE = Namespace(BASE + "rule/")
SOURCE = Namespace(BASE + "source/")
CLASS = Namespace(BASE + "class/")
INGREDIENT = Namespace(BASE + "ingredient/")
ACTIVITY = Namespace(BASE + "activity/")
PRODUCT_TYPE = Namespace(BASE + "product-type/")
CONDITION = Namespace(BASE + "condition/")
CONTRAINDICATION = Namespace(BASE + "contraindication/")
WARNING_SIGN = Namespace(BASE + "warning-sign/")
PATTERN = Namespace(BASE + "pattern/")
LEGAL_MAXIMUM = Namespace(BASE + "legal-maximum/")
TRACE_ROLE = Namespace(BASE + "trace-role/")
NAME_TABLE = Namespace(BASE + "name-table/")
DECISION = Namespace(BASE + "decision/")

PREFIXES: dict[str, Namespace] = {
    "ac": Namespace(str(AC._NS)),
    "proc": PROCEDURE,
    "phase": PHASE,
    "rule": RULE,
    "src": SOURCE,
    "cls": CLASS,
    "ing": INGREDIENT,
    "act": ACTIVITY,
    "pt": PRODUCT_TYPE,
    "cond": CONDITION,
    "ci": CONTRAINDICATION,
    "sign": WARNING_SIGN,
    "pat": PATTERN,
    "lim": LEGAL_MAXIMUM,
    "role": TRACE_ROLE,
    "tbl": NAME_TABLE,
    "dec": DECISION,
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
}


def local_id(iri: URIRef | str) -> str:
    """The id a person and the API use: the last segment of the IRI."""
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]
