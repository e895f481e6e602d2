"""The zh output checker finds what it must and lets through what is English by nature."""

from .english import english_words


def test_it_names_untranslated_words():
    assert english_words("状态 submitted，报表 annual，合成 True，文件 stored") == [
        "True",
        "annual",
        "stored",
        "submitted",
    ]
    assert english_words("│ 91110000000000000X │ accepted │") == ["accepted"]


def test_it_lets_through_commands_paths_codes_and_proper_names():
    text = (
        "下一步：sitmon query --public --indicator revenue_total --by province,sector\n"
        "数据目录 /tmp/x/home，见 docs/messages.md 或 https://example.org/a?b=c；USCC、CSV、XLSX、API；"
        "统一社会信用代码 91110000MA01ABCD2X；校验和 3fa9c0d1e2b4…；规划 14th_fyp；单位 10k_cny；"
        "第 2 行 [revenue_total] “abc”：不是数字（number）；查看首次公布数：sitmon series show <指标> --vintage first"
    )
    assert english_words(text) == []


def test_typed_codes_only_where_a_user_types_them():
    assert english_words("另一版本请用 --vintage first") == []  # an option and its value
    assert english_words("报表：monthly（月报）或 annual（年报）") == ["annual", "monthly"]
    assert english_words("报表：monthly（月报）或 annual（年报）", typed=True) == []
