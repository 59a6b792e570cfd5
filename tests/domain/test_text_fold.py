from meetingtui.domain.text_fold import fold, jaccard, trigrams, word_set, words


def test_fold_removes_case_accents_and_punctuation():
    assert fold("Café—Bus-stop!") == "cafe bus stop"
    assert fold("ÁRBOL  Ñandú") == "arbol nandu"
    assert fold("") == ""


def test_words_leave_out_common_words_in_english_and_spanish():
    assert words("A bench at the bus stop") == ["bench", "bus", "stop"]
    assert words("Un café para la plaza") == ["cafe", "plaza"]
    assert words("Bus 42, route 7") == ["bus", "42", "route"]


def test_trigrams_survive_typos_and_plurals():
    assert jaccard(trigrams("benches"), trigrams("bench")) > 0.5
    assert jaccard(trigrams("appointment"), trigrams("apointment")) > 0.6
    assert jaccard(word_set("more benches"), word_set("")) == 0.0


def test_letters_of_their_own_are_spelt_apart_in_either_case():
    """Found by review: "oeuvre" did not find "œuvre", nor "Lodz" "Łódź" (no decomposition)."""
    assert fold("Œuvre œuvre") == "oeuvre oeuvre"
    assert fold("Łódź ŁÓDŹ") == "lodz lodz"
    assert fold("Ærø Æsir") == "aero aesir"
    assert fold("Đakovo Ðorn Þingvellir") == "dakovo dorn thingvellir"
    assert fold("Straße STRAẞE") == "strasse strasse"
    assert fold("ΟΔΟΣ οδός") == "οδοσ οδοσ"  # the final sigma is a sigma
