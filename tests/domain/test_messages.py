from sitmon.domain.messages import Message, catalogue, check_catalogue, lang_of, placeholders, text


def test_every_key_has_both_languages_and_the_same_placeholders():
    assert catalogue(), "the catalogue is empty"
    assert check_catalogue() == []


def test_render_in_each_language():
    m = Message("period.malformed", value="March")
    assert "March" in m.render("zh") and "统计期" in m.render("zh")
    assert m.render("en").startswith("period “March”")
    assert m.both() == f"{m.render('zh')} / {m.render('en')}"
    assert text("no.such.key", "zh") == "no.such.key"


def test_lang_of_accept_language():
    assert lang_of("en-US,en;q=0.9") == "en"
    assert lang_of("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert lang_of(None) == "zh"


def test_placeholders():
    assert placeholders("{a} and {b:.1f} but not {{c}}") == {"a", "b"}
