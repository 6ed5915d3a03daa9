"""Actor names: strip titles from a mention, and merge the aliases of one actor.

Pure functions over strings. `canonical_actor_name` turns a mention ("Belarus President
Alexander Lukashenko's") into a bare name ("Alexander Lukashenko"); `merge_actor_names` maps
every surface name of a list (from one article or many) onto one name per actor: people by
surname when that is unambiguous, organisations by acronym and by their short form.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

# Courtesy titles that carry no framing ("Mr Lukashenko").
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sir dame lord lady madam mme mlle herr frau prof professor rev "
    "reverend hon sheikh sheik".split()
)

# Office and rank words that may stand before a person's name.
TITLE_WORDS = frozenset(
    "president vice prime minister premier chancellor king queen prince princess emperor "
    "empress pope senator sen rep representative congressman congresswoman governor gov "
    "mayor general gen lt col colonel major maj capt captain admiral adm sgt sergeant "
    "marshal judge justice secretary speaker ambassador envoy commissioner director chairman "
    "chairwoman chair ceo leader dictator strongman autocrat chief head foreign defence "
    "defense interior finance home deputy former ex acting late then incumbent opposition "
    "ayatollah supreme patriarch spokesman spokeswoman spokesperson attorney prosecutor "
    "commander minister-designate president-elect candidate nominee founder owner tycoon "
    "billionaire oligarch mogul businessman activist critic ally rival official".split()
)

# Words that make a name an organisation rather than a person.
ORG_WORDS = frozenset(
    "ministry nations service services committee council agency state group party department office "
    "army forces force bank court parliament government university company corporation corp "
    "inc ltd llc plc news union organisation organization institute foundation association "
    "commission authority authorities guard guards police kremlin brigade battalion front "
    "movement network federation league board bureau administration assembly senate congress "
    "house embassy church militia republic coalition alliance fund agency's times post "
    "journal telegraph guardian gazette tribune herald press tv radio".split()
)

# Generic lowercase nouns that follow an organisation's name ("the Islamic State group").
GENERIC_ORG_SUFFIXES = frozenset("group militia movement organisation organization network".split())

# Lowercase particles that belong inside personal names ("Ursula von der Leyen").
NAME_PARTICLES = frozenset("von van der den de da di du dos das al el bin ibn la le".split())

# Generational suffixes: "Donald Trump" and "Donald Trump Jr." are different people.
NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())

# Party and camp words that may stand before a name ("Republican Donald Trump").
AFFILIATION_WORDS = frozenset(
    "republican democrat democratic gop labour conservative tory liberal socialist "
    "communist green independent separatist rebel opposition pro-kremlin pro-russian".split()
)

# Demonym -> country, for nationality matching and for stripping "Russian president ...".
DEMONYMS: dict[str, str] = {
    "afghan": "Afghanistan",
    "albanian": "Albania",
    "algerian": "Algeria",
    "american": "United States",
    "argentine": "Argentina",
    "armenian": "Armenia",
    "australian": "Australia",
    "austrian": "Austria",
    "azerbaijani": "Azerbaijan",
    "bangladeshi": "Bangladesh",
    "belarusian": "Belarus",
    "belgian": "Belgium",
    "bosnian": "Bosnia",
    "brazilian": "Brazil",
    "british": "Britain",
    "bulgarian": "Bulgaria",
    "canadian": "Canada",
    "chilean": "Chile",
    "chinese": "China",
    "colombian": "Colombia",
    "croatian": "Croatia",
    "cuban": "Cuba",
    "czech": "Czech Republic",
    "danish": "Denmark",
    "dutch": "Netherlands",
    "egyptian": "Egypt",
    "english": "England",
    "estonian": "Estonia",
    "ethiopian": "Ethiopia",
    "finnish": "Finland",
    "french": "France",
    "georgian": "Georgia",
    "german": "Germany",
    "greek": "Greece",
    "hungarian": "Hungary",
    "indian": "India",
    "indonesian": "Indonesia",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "irish": "Ireland",
    "israeli": "Israel",
    "italian": "Italy",
    "japanese": "Japan",
    "jordanian": "Jordan",
    "kazakh": "Kazakhstan",
    "kenyan": "Kenya",
    "korean": "Korea",
    "kyrgyz": "Kyrgyzstan",
    "latvian": "Latvia",
    "lebanese": "Lebanon",
    "libyan": "Libya",
    "lithuanian": "Lithuania",
    "mexican": "Mexico",
    "moldovan": "Moldova",
    "moroccan": "Morocco",
    "nigerian": "Nigeria",
    "norwegian": "Norway",
    "pakistani": "Pakistan",
    "palestinian": "Palestine",
    "polish": "Poland",
    "portuguese": "Portugal",
    "romanian": "Romania",
    "russian": "Russia",
    "saudi": "Saudi Arabia",
    "scottish": "Scotland",
    "serbian": "Serbia",
    "slovak": "Slovakia",
    "south african": "South Africa",
    "spanish": "Spain",
    "swedish": "Sweden",
    "swiss": "Switzerland",
    "syrian": "Syria",
    "tajik": "Tajikistan",
    "turkish": "Turkey",
    "ukrainian": "Ukraine",
    "uzbek": "Uzbekistan",
    "venezuelan": "Venezuela",
    "vietnamese": "Vietnam",
    "welsh": "Wales",
    "yemeni": "Yemen",
}
# Country names and their common short forms -> the country as DEMONYMS names it.
COUNTRY_ALIASES: dict[str, str] = {c.lower(): c for c in DEMONYMS.values()} | {
    "us": "United States",
    "u.s.": "United States",
    "usa": "United States",
    "america": "United States",
    "uk": "Britain",
    "u.k.": "Britain",
    "united kingdom": "Britain",
    "great britain": "Britain",
    "north korea": "Korea",
    "south korea": "Korea",
    "holland": "Netherlands",
    "türkiye": "Turkey",
    "eu": "European Union",
    "european": "European Union",
}

_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
_QUOTES = "\"'“”‘’«»"
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&]{1,9}$")
_INITIAL_SKIP = frozenset("of the and for on in de la du des al".split())


def country_of(word: str) -> str | None:
    """The country a demonym or country name stands for ("Belarusian" -> "Belarus"), or None."""
    key = word.strip(_QUOTES).lower()
    return DEMONYMS.get(key) or COUNTRY_ALIASES.get(key)


def _clean(text: str) -> str:
    """Whitespace collapsed, quotes and possessive stripped."""
    text = " ".join(text.split()).strip(_QUOTES + " ,;:")
    text = _POSSESSIVE.sub("", text).strip(_QUOTES + " ")
    return text


def _is_name_token(tok: str) -> bool:
    return (
        bool(tok)
        and (tok[0].isupper() or tok[0].isdigit())
        and tok.lower().rstrip(".") not in HONORIFICS
    )


def _is_title_like(tok: str) -> bool:
    """A word that may precede a person's name without being part of it."""
    low = tok.lower().rstrip(".")
    parts = low.split("-")
    return (
        low in HONORIFICS
        or low in TITLE_WORDS
        or low in AFFILIATION_WORDS
        or parts[0] in TITLE_WORDS
        or country_of(low) is not None
        or low in ("the", "of", "a", "an", "and", "state", "u.s")
        or tok[:1].islower()
    )


def is_organisation_name(name: str) -> bool:
    """Whether a bare name reads as an organisation (acronym, or an org word in last place)."""
    tokens = name.split()
    if not tokens:
        return False
    if len(tokens) == 1 and _ACRONYM.match(tokens[0]):
        return True
    return tokens[-1].lower().strip(".") in ORG_WORDS or tokens[-1].lower() in GENERIC_ORG_SUFFIXES


def canonical_actor_name(text: str) -> str:
    """The bare name in a mention: titles, honorifics, nationality and possessive stripped.

    "Belarus President Alexander Lukashenko" -> "Alexander Lukashenko", "Mr Putin's" -> "Putin",
    "the Islamic State group" -> "Islamic State". Organisation names keep their own words
    ("Russian Defence Ministry" stays whole). When stripping would leave nothing that looks like
    a name ("the president"), the cleaned text is returned unchanged rather than guessed at.
    """
    cleaned = _clean(text)
    tokens = cleaned.split()
    if not tokens:
        return cleaned
    if tokens[0].lower() == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    # Organisations: only a generic lowercase tail is dropped ("Islamic State group").
    if len(tokens) > 1 and tokens[-1] in GENERIC_ORG_SUFFIXES and _is_name_token(tokens[-2]):
        return " ".join(tokens[:-1])
    if is_organisation_name(" ".join(tokens)):
        return " ".join(tokens)
    # People: the name is the longest tail of capitalised tokens (particles allowed inside).
    start = len(tokens)
    while start > 0:
        tok = tokens[start - 1]
        low = tok.lower()
        is_title = (
            low.rstrip(".") in TITLE_WORDS
            or low.split("-")[0] in TITLE_WORDS
            or low in ORG_WORDS
            or low in AFFILIATION_WORDS
            or low.rstrip(".") in HONORIFICS
        )
        name_part = _is_name_token(tok) and not (is_title and start < len(tokens))
        particle = low in NAME_PARTICLES and 1 < start < len(tokens)
        if not (name_part or particle):
            break
        start -= 1
    while start < len(tokens) and tokens[start].lower() in NAME_PARTICLES:
        start += 1
    if start >= len(tokens):
        return " ".join(tokens)
    prefix = tokens[:start]
    # Only strip when everything before the name is title-like; otherwise keep the whole.
    if all(_is_title_like(t) or t.lower() in ORG_WORDS for t in prefix):
        return " ".join(tokens[start:])
    return " ".join(tokens)


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _INITIAL_SKIP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _bare_acronym(name: str) -> str | None:
    """ "U.S." -> "US", "FSB" -> "FSB"; None when the name is not an acronym."""
    if " " in name or not _ACRONYM.match(name):
        return None
    return name.replace(".", "").upper()


def acronym_definitions(text: str) -> dict[str, str]:
    """Acronyms a text defines: "Federal Security Service, or FSB" / "... (FSB)" -> {FSB: ...}.

    Only a capitalised phrase of two or more words directly followed by ", or ABC" or "(ABC)"
    counts; an acronym defined twice with different phrases is left out.
    """
    found: dict[str, set[str]] = defaultdict(set)
    pattern = re.compile(
        r"((?:[A-Z][\w'’.-]*\s+)(?:(?:of|the|and|for|on)\s+|[A-Z][\w'’.-]*\s+)*[A-Z][\w'’-]*)"
        r"(?:,\s+or\s+|\s+\()((?:[A-Z]\.){2,}|[A-Z][A-Z0-9&]{1,9})\b\)?"
    )
    for match in pattern.finditer(text):
        phrase = canonical_actor_name(match.group(1))
        if len(phrase.split()) >= 2:
            found[match.group(2).replace(".", "")].add(phrase)
    return {acr: next(iter(phrases)) for acr, phrases in found.items() if len(phrases) == 1}


def _person_tokens(name: str) -> tuple[list[str], str]:
    """The name's tokens without a generational suffix, and that suffix ("" if none)."""
    tokens = name.split()
    if len(tokens) > 1 and tokens[-1].lower() in NAME_SUFFIXES:
        return tokens[:-1], tokens[-1].lower().rstrip(".")
    return tokens, ""


def _surname_key(name: str) -> str:
    """The lower-cased last token of a name without its suffix, which `_compatible` requires
    two names to share ("" when there is none: such a name is compatible with nothing)."""
    tokens, _ = _person_tokens(name)
    return tokens[-1].lower() if tokens else ""


def _compatible(short: str, long: str) -> bool:
    """Whether `short` can be a shorter way of writing `long` (same surname and suffix)."""
    s_tokens, s_suffix = _person_tokens(short)
    l_tokens, l_suffix = _person_tokens(long)
    if s_suffix != l_suffix and s_suffix:
        return False
    if l_suffix and not s_suffix and len(s_tokens) > 1:
        return False
    if not s_tokens or not l_tokens or s_tokens[-1].lower() != l_tokens[-1].lower():
        return False
    # The earlier tokens of the short name must appear in order (an initial matches its word).
    pos = 0
    for tok in s_tokens[:-1]:
        while pos < len(l_tokens) - 1:
            cand = l_tokens[pos]
            pos += 1
            if cand.lower() == tok.lower() or (
                tok.rstrip(".").isalpha()
                and len(tok.rstrip(".")) == 1
                and cand[0].lower() == tok[0].lower()
            ):
                break
        else:
            return False
    return True


def merge_actor_names(
    names: Iterable[str], acronyms: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map each surface name to one canonical name per actor.

    People: "Mr Lukashenko", "Lukashenko" and "Alexander Lukashenko" all map to the longest full
    name that shares the surname and is compatible with them; when two different full names
    share the surname ("Dilovar Islomov", "Aminchon Islomov") the bare surname is left alone.
    A name without a generational suffix merges into the suffix-less full name when there is
    one ("Trump" -> "Donald Trump", not "Donald Trump Jr."). Organisations: an acronym maps to the one name whose
    initials it is ("IS" -> "Islamic State") or to the phrase `acronyms` defines for it
    (see `acronym_definitions`); "Islamic State group" -> "Islamic State".
    """
    surface = list(dict.fromkeys(n for n in names if n and n.strip()))
    canon = {n: canonical_actor_name(n) for n in surface}
    bare = list(dict.fromkeys(canon.values()))
    defined = {
        k.replace(".", "").upper(): canonical_actor_name(v) for k, v in (acronyms or {}).items()
    }

    final: dict[str, str] = {}
    # Acronyms stand for organisations and countries, never for people.
    orgs = [
        b
        for b in bare
        if _bare_acronym(b) is None
        and (
            is_organisation_name(b)
            or country_of(b) is not None
            or any(t.lower() in ORG_WORDS for t in b.split())
        )
    ]
    long_orgs = list(dict.fromkeys(orgs + list(defined.values())))
    for name in bare:
        acr = _bare_acronym(name)
        if acr is None:
            continue
        if acr in defined:
            final[name] = defined[acr]
            continue
        matches = {o for o in long_orgs if len(o.split()) > 1 and _initials(o) == acr}
        if len(matches) == 1:
            final[name] = matches.pop()

    people = [b for b in bare if b not in final and not is_organisation_name(b)]
    # `_compatible` needs the same surname: only names sharing it are tried (in `people` order).
    by_surname: dict[str, list[str]] = defaultdict(list)
    for name in people:
        by_surname[_surname_key(name)].append(name)
    for name in people:
        longer = [
            p
            for p in by_surname[_surname_key(name)]
            if p != name and len(p) > len(name) and _compatible(name, p)
        ]
        if not _person_tokens(name)[1]:
            # A name without a suffix means the one without it when there is one ("Trump").
            plain = [p for p in longer if not _person_tokens(p)[1]]
            longer = plain or longer
        if not longer:
            continue
        # The longest compatible names must all be extensions of one another to be one person.
        longest = max(longer, key=lambda p: len(p.split()))
        if all(_compatible(p, longest) for p in longer):
            final[name] = longest
    # Follow chains ("Putin" -> "Vladimir Putin" -> "Vladimir V. Putin").
    result = {}
    for surface_name, bare_name in canon.items():
        target = bare_name
        for _ in range(5):
            if target not in final or final[target] == target:
                break
            target = final[target]
        result[surface_name] = target
    return result
