"""The parallax_attribution component on short texts written for these tests (real model)."""

from __future__ import annotations

import pytest

from parallax.model import Attribution


def _run(nlp, text: str) -> list[Attribution]:
    doc = nlp(text)
    found = doc._.attributions
    for a in found:
        # Every span points at the exact characters it names.
        assert text[a.cue.start : a.cue.end] == a.cue.text
        assert text[a.content.start : a.content.end] == a.content.text
        if a.speaker is not None:
            assert text[a.speaker.start : a.speaker.end] == a.speaker.text
    return found


def _by_content(found: list[Attribution], words: str) -> Attribution:
    hits = [a for a in found if words in a.content.text]
    assert hits, f"no attribution with content containing {words!r}: {found}"
    return hits[0]


def test_component_is_last_in_pipeline_and_sets_ids(nlp):
    assert nlp.pipe_names[-1] == "parallax_attribution"
    found = _run(nlp, "Maria Lopez said that the bridge would reopen in May.")
    assert [a.id for a in found] == ["t1"]
    assert found[0].doc == ""


def test_direct_quote_with_cue_after(nlp):
    text = "“The bridge will reopen in May,” Maria Lopez said on Monday."
    a = _by_content(_run(nlp, text), "bridge will reopen")
    assert a.kind == "direct"
    assert a.content.text == "“The bridge will reopen in May,”"
    assert a.cue.text == "said"
    assert a.speaker is not None and a.speaker.name == "Maria Lopez"


def test_direct_quote_with_cue_before(nlp):
    text = "The mayor, Maria Lopez, said: “We have the money and we have the workers.”"
    a = _by_content(_run(nlp, text), "We have the money")
    assert a.kind == "direct" and a.cue.text == "said"
    assert a.speaker is not None and a.speaker.name == "Maria Lopez"


def test_quote_split_around_the_cue_keeps_one_speaker(nlp):
    text = (
        "Tom Becker, the town engineer, was blunt. “The pillars are cracked,” Becker said, "
        "“and nobody should drive over them.”"
    )
    found = _run(nlp, text)
    first = _by_content(found, "pillars are cracked")
    second = _by_content(found, "nobody should drive")
    assert first.cue.start == second.cue.start
    assert first.speaker.name == second.speaker.name == "Tom Becker"


def test_indirect_speech_with_that_clause_and_stance(nlp):
    text = "Helena Fischer denied that her ministry had ignored the warnings."
    a = _by_content(_run(nlp, text), "her ministry had ignored")
    assert a.kind == "indirect"
    assert a.stance == "deny"
    assert a.speaker.name == "Helena Fischer"


@pytest.mark.parametrize(
    ("verb", "stance"),
    [
        ("warned", "warn"),
        ("alleged", "allege"),
        ("acknowledged", "acknowledge"),
        ("insisted", "claim"),
    ],
)
def test_stance_follows_the_cue_verb(nlp, verb, stance):
    text = f"Helena Fischer {verb} that the dam was unsafe."
    a = _by_content(_run(nlp, text), "the dam was unsafe")
    assert a.stance == stance


def test_negated_cue(nlp):
    text = "Helena Fischer did not say that the dam was unsafe."
    a = _by_content(_run(nlp, text), "the dam was unsafe")
    assert a.negated is True


def test_content_before_the_cue(nlp):
    text = "The dam was never inspected, Helena Fischer said."
    a = _by_content(_run(nlp, text), "The dam was never inspected")
    assert a.content.text == "The dam was never inspected"
    assert a.speaker.name == "Helena Fischer"


def test_according_to(nlp):
    text = "According to the Water Agency, the dam holds 40 million cubic metres."
    a = _by_content(_run(nlp, text), "the dam holds")
    assert a.kind == "according_to"
    assert a.cue.text == "According to"
    assert "Water Agency" in a.speaker.text


def test_medium_is_recorded_apart_from_the_speaker(nlp):
    text = "Maria Lopez told the Harbour Gazette that the bridge would reopen in May."
    a = _by_content(_run(nlp, text), "bridge would reopen")
    assert a.speaker.name == "Maria Lopez"
    assert a.medium is not None and "Harbour Gazette" in a.medium.text


def test_passive_quote_pronoun_resolves_to_last_named_speaker(nlp):
    text = (
        "Maria Lopez, the mayor of Eastport, said the bridge would reopen.\n\n"
        "“We have waited long enough,” she was quoted as saying by the Harbour Gazette."
    )
    a = _by_content(_run(nlp, text), "waited long enough")
    assert a.kind == "direct"
    assert a.cue.text == "quoted as saying"
    assert a.speaker.text == "she" and a.speaker.name == "Maria Lopez"
    assert a.medium is not None and "Harbour Gazette" in a.medium.text


def test_mixed_quote(nlp):
    text = "Helena Fischer said the report was “a work of fiction” written by her rivals."
    a = _by_content(_run(nlp, text), "work of fiction")
    assert a.kind == "mixed"


def test_unresolvable_speaker_keeps_words_but_no_name(nlp):
    text = "Officials said the road would stay closed."
    a = _by_content(_run(nlp, text), "road would stay closed")
    assert a.speaker is not None and a.speaker.text == "Officials"
    assert a.speaker.name is None


def test_blanked_boilerplate_keeps_offsets(nlp):
    text = "Share this article" + " " * 40 + "\n\nMaria Lopez said that the bridge would reopen."
    masked = " " * len("Share this article") + text[len("Share this article") :]
    a = _by_content(_run(nlp, masked), "bridge would reopen")
    assert masked[a.content.start : a.content.end] == a.content.text
    assert a.speaker.name == "Maria Lopez"


def test_quotes_written_with_two_apostrophes(nlp):
    text = "''We are offering our community the chance,'' Ms. White said on Saturday."
    a = _by_content(_run(nlp, text), "offering our community")
    assert a.kind == "direct"
    assert a.content.text == "''We are offering our community the chance,''"
    assert a.cue.text == "said"


def test_quote_with_no_cue_continues_the_mixed_quote_before_it(nlp):
    text = (
        'Rubio "apologized numerous times on this show," Hannity said. "I think it is time '
        'for people to move on."'
    )
    found = _run(nlp, text)
    first = _by_content(found, "apologized numerous times")
    second = _by_content(found, "time for people to move on")
    assert second.cue.start == first.cue.start and second.cue.text == "said"
    assert second.speaker is not None and second.speaker.text == "Hannity"


def test_noun_cue_with_that_clause(nlp):
    text = "Senator Tom Becker's claim that the dam was sabotaged drew criticism."
    a = _by_content(_run(nlp, text), "the dam was sabotaged")
    assert a.cue.text == "claim"
    assert a.speaker is not None and a.speaker.name == "Tom Becker"


def test_quote_tag_with_a_long_apposition_before_the_verb(nlp):
    text = (
        "“The speech shows that the party can still run on bold ideas,” Adam Green, co-founder "
        "of the Progressive Campaign Change Committee, said in a statement."
    )
    a = _by_content(_run(nlp, text), "bold ideas")
    assert a.kind == "direct" and a.cue.text == "said"
    assert a.speaker is not None and a.speaker.name == "Adam Green"


def test_words_after_a_quote_that_are_not_its_speaker_do_not_tag_it(nlp):
    text = (
        "“We will win,” the crowd chanted for an hour in the rain outside the hall while the "
        "candidate, who arrived late from the airport, said nothing."
    )
    found = _run(nlp, text)
    assert not [a for a in found if "We will win" in a.content.text and a.cue.text == "said"]


def test_according_to_set_off_by_commas_takes_both_sides(nlp):
    text = "Fundraising, according to the campaign, has surged since the convention."
    found = [a for a in _run(nlp, text) if a.cue.text == "according to"]
    assert sorted(a.content.text for a in found) == [
        "Fundraising",
        "has surged since the convention",
    ]
    assert all(a.speaker is not None and a.speaker.text == "the campaign" for a in found)


def test_asked_participle_leaves_the_asker_unnamed(nlp):
    text = "Asked whether he would run again, Johnson said he had not decided."
    found = _run(nlp, text)
    asked = [a for a in found if a.cue.text == "Asked"]
    said = _by_content(found, "he had not decided")
    assert said.speaker is not None and said.speaker.text == "Johnson"
    assert asked and all(a.speaker is None for a in asked), found


@pytest.mark.parametrize(
    "text",
    [
        "Brightwater Logistics did not respond to a request for comment.",
        "A spokesman did not reply to questions about the fire.",
        "The ministry did not comment on the report.",
        "The ministry said nothing about the fire.",
    ],
)
def test_the_topic_of_a_non_answer_is_not_what_was_said(nlp, text):
    # The object of "respond to" or "said nothing about" is what was asked, not a statement.
    assert _run(nlp, text) == []


def test_an_answer_with_a_clause_is_still_an_attribution(nlp):
    found = _run(nlp, "The mayor responded that the city was safe. He warned of a crisis.")
    assert _by_content(found, "the city was safe").cue.text == "responded"
    assert _by_content(found, "a crisis").cue.text == "warned"


def test_a_cue_hung_on_the_reported_copula_keeps_the_reporter(nlp):
    # The parser makes "blamed" a conjunct of "was"; the blaze cannot blame anyone.
    text = (
        "Interior Minister Dana Orlov said the blaze was an act of sabotage and blamed "
        '"foreign-funded saboteurs" for the attack on the depot.'
    )
    blamed = [a for a in _run(nlp, text) if a.cue.text == "blamed"]
    assert blamed and blamed[0].speaker.name == "Dana Orlov"


def test_a_person_in_the_reported_clause_keeps_their_own_cue(nlp):
    found = _run(nlp, "Smith said the minister was wrong and blamed the police.")
    blamed = [a for a in found if a.cue.text == "blamed"]
    assert blamed and blamed[0].speaker.text == "the minister"


def test_cue_clause_inside_the_sentence_takes_both_sides(nlp):
    text = "Riding alone in the park at night, she said, can be dangerous for anyone."
    found = [a for a in _run(nlp, text) if a.cue.text == "said"]
    assert sorted(a.content.text for a in found) == [
        "Riding alone in the park at night",
        "can be dangerous for anyone",
    ]


def test_content_ends_before_the_speakers_next_verb(nlp):
    text = "The senator announced that he was undergoing treatment and vowed to return."
    a = _by_content(_run(nlp, text), "undergoing")
    assert a.cue.text == "announced"
    assert a.content.text == "that he was undergoing treatment"


@pytest.mark.parametrize(
    ("text", "subject", "complement"),
    [
        (
            "The governor seemed to be losing patience with the council.",
            "The governor",
            "to be losing patience with the council",
        ),
        (
            "The company is widely expected to cut jobs next year.",
            "The company",
            "to cut jobs next year",
        ),
    ],
)
def test_what_seems_or_is_expected_is_subject_and_complement(nlp, text, subject, complement):
    found = _run(nlp, text)
    assert sorted(a.content.text for a in found) == sorted([subject, complement])
    assert len({a.cue.start for a in found}) == 1


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "She wrote a check to a group supporting John Faso, a Republican running for an "
            "open seat.",
            "wrote",
            "a check to a group supporting John Faso",
        ),
        (
            "He cited policies of the administration, which he said had harmed the economy.",
            "cited",
            "policies of the administration",
        ),
    ],
)
def test_writers_aside_after_the_content_is_left_out(nlp, text, cue, content):
    found = [a for a in _run(nlp, text) if a.cue.text == cue]
    assert [a.content.text for a in found] == [content]


def test_agent_of_a_passive_cue_is_the_speaker_not_the_content(nlp):
    found = _run(nlp, "The plan was criticized by environmental groups.")
    assert [(a.cue.text, a.content.text) for a in found] == [("criticized", "The plan")]
    assert found[0].speaker is not None and found[0].speaker.text == "environmental groups"
