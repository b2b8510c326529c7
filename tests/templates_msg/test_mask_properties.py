"""Property tests: private numbers in any spelling never survive; ordinary numbers do."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from templates_msg.mask import mask
from templates_msg.model import KINDS
from templates_msg.textnorm import DIGIT_OF, digits_only
from templates_msg.understand import understand

_CN = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
_YAO = dict(zip("0123456789", "零幺两三四五六七八九", strict=True))
_FW = dict(zip("0123456789", "０１２３４５６７８９", strict=True))

# Chinese filler without digits of any spelling, so leaks are never produced by the filler.
_FILLER = st.text(
    alphabet="找活保洁叉车工想在县城附近的中不中俺会开有证电话联系微信同号本人男女好啊，。 ", max_size=12
)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["13", "15", "17", "18", "19"])) + draw(st.sampled_from("0123456789"))
    return prefix + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)))


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["410122", "410102", "410181", "411422"]))
    birth = f"{draw(st.integers(1950, 2006))}{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"
    body = region + birth + f"{draw(st.integers(0, 999)):03d}"
    return body + ric.calc_check_digit(body + "0")


def _spell(digits: str, style: str) -> str:
    d = digits
    if style == "cn":
        return "".join(_CN.get(c, c) for c in d)
    if style == "yao":
        return "".join(_YAO.get(c, c) for c in d)
    if style == "fw":
        return "".join(_FW.get(c, c) for c in d)
    if style == "344":
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    if style == "dash":
        return "-".join(d[i : i + 4] for i in range(0, len(d), 4))
    if style == "+86":
        return "+86 " + d
    if style == "0086":
        return "0086-" + d
    if style == "nl":
        return d[:5] + "\n" + d[5:]
    if style == "spaced":
        return " ".join(d)
    if style == "keycap":
        return "".join(c + "\ufe0f\u20e3" for c in d)
    if style == "emoji":
        return f"{d[:3]}🌟{d[3:7]}🌟{d[7:]}"
    if style == "gang":
        return f"{d[:3]}杠{d[3:7]}杠{d[7:]}"
    if style == "spoken":
        yao = "".join(_YAO.get(c, c) for c in d)
        return f"{yao[:3]}，然后{yao[3:7]}，最后是{yao[7:]}"
    if style == "letters":
        return d.replace("1", "l").replace("0", "O")
    if style == "mix":
        return "".join(_YAO[c] if i % 2 and c.isdigit() else c for i, c in enumerate(d))
    return d


STYLES = st.sampled_from(
    ["plain", "cn", "yao", "fw", "344", "dash", "+86", "0086", "nl", "spaced", "keycap", "mix", "emoji", "gang",
     "spoken", "letters"]
)


def _readable_digits(text: str) -> str:
    """Digits a reader would see, counting the look-alike letters l and O."""
    return digits_only(text.replace("l", "1").replace("O", "0"))
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(phone=mobiles(), style=STYLES, before=_FILLER, after=_FILLER)
def test_phone_never_survives(phone: str, style: str, before: str, after: str) -> None:
    text = f"{before}{_spell(phone, style)}{after}"
    result = mask(text)
    assert phone not in _readable_digits(result.text), result.text


@_SETTINGS
@given(idn=id_numbers(), style=STYLES, before=_FILLER, after=_FILLER)
def test_id_number_never_survives(idn: str, style: str, before: str, after: str) -> None:
    if style in ("+86", "0086"):
        style = "plain"
    text = f"{before}身份证{_spell(idn, style)}{after}"
    result = mask(text)
    assert idn[:17] not in _readable_digits(result.text), result.text


@_SETTINGS
@given(idn=id_numbers(), phone=mobiles(), before=_FILLER)
def test_id_and_phone_both_masked_even_for_job_ads(idn: str, phone: str, before: str) -> None:
    result = mask(f"{before}身份证{idn} 电话{phone}", keep_business_contact=True)
    assert idn[:17] not in digits_only(result.text)
    assert phone in result.text  # the business contact stays


ORDINARY = st.one_of(
    st.integers(1500, 30000).map(lambda n: f"{n}元"),
    st.integers(16, 75).map(lambda n: f"{n}岁"),
    st.tuples(st.integers(1, 12), st.integers(1, 28)).map(lambda t: f"{t[0]}月{t[1]}号"),
    st.integers(150, 195).map(lambda n: f"{n}cm"),
    st.integers(1, 200).map(lambda n: f"{n}人"),
    # Pay ranges are round figures (4000-6000, 8000-12000) with a unit or a pay word: a bare
    # "2000-6100" right after 联系 is written like a local landline, and is masked as one.
    st.tuples(st.integers(15, 60), st.integers(61, 150)).map(lambda t: f"{t[0] * 100}-{t[1] * 100}元"),
    st.tuples(st.integers(15, 60), st.integers(61, 150)).map(lambda t: f"月薪{t[0] * 100}-{t[1] * 100}"),
    st.tuples(st.integers(16, 30), st.integers(31, 65)).map(lambda t: f"{t[0]}-{t[1]}岁"),
    st.tuples(st.integers(6, 9), st.integers(17, 22)).map(lambda t: f"{t[0]}:00-{t[1]}:00"),
    st.integers(2020, 2030).map(lambda y: f"{y}-03-05"),
)


@_SETTINGS
@given(numbers=st.lists(ORDINARY, min_size=1, max_size=4), filler=_FILLER)
def test_ordinary_numbers_survive(numbers: list[str], filler: str) -> None:
    text = filler + " ".join(numbers) + filler
    result = mask(text)
    for n in numbers:
        assert n in result.text, (text, result.text)
    assert result.hold_reason is None


# Anything a phone can send: control and format characters (RTL marks, zero-width joiners),
# emoji, CJK, Latin, but no digit in any spelling, so every digit in the text is the phone's.
_NO_DIGITS = "".join(DIGIT_OF) + "lIOo"
_JUNK = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("Cc", "Cf", "So", "Lo", "Ll", "Lu", "Po", "Zs", "Mn"), exclude_characters=_NO_DIGITS
    ),
    max_size=40,
)


@_SETTINGS
@given(before=_JUNK, after=_JUNK, phone=mobiles())
def test_any_input_gets_a_kind_and_never_shows_a_phone(before: str, after: str, phone: str) -> None:
    u = understand(before + phone + after, author_role="seeker")
    assert u.kind in KINDS
    if u.kind != "job":  # a job ad's phone is the employer's business contact and stays
        assert phone not in _readable_digits(u.masked), u.masked


@settings(max_examples=30, deadline=None)
@given(data=st.binary(min_size=1, max_size=400), phone=mobiles())
def test_binary_garbage_around_a_phone_is_understood_and_hides_it(data: bytes, phone: str) -> None:
    text = data.decode("latin-1") + " " + phone + " " + data.decode("utf-8", errors="replace")
    u = understand(text, author_role="seeker")
    assert u.kind in KINDS
    if u.kind != "job":
        assert phone not in _readable_digits(u.masked)


def test_ten_thousand_characters_and_invisible_marks_give_a_result() -> None:
    for text in ("找活" * 5000, "👍" * 200, "\u202e\u200f\u200b\u2066" * 100, "\u200b".join("13800001234")):
        u = understand(text)
        assert u.kind in KINDS
        assert "13800001234" not in _readable_digits(u.masked)


_GIVEN_CHARS = "建国秀英桂兰玉梅志强红丽娟春生德胜凤琴翠花保长河小燕海涛文斌永金锁香明亮淑华素芬宝成满囤妮铁柱珍富贵彩霞广"
_INTRODUCTIONS = ("我叫{n}，", "俺妈叫{n} 今年58", "她叫{n} 22岁", "姓名：{n} 电话", "我 叫 {n}", "俺爹叫{n}，")


@st.composite
def invented_names(draw: st.DrawFn) -> str:
    from templates_msg.names import SURNAMES_1

    surname = draw(st.sampled_from(sorted(SURNAMES_1)))
    given = draw(st.text(alphabet=_GIVEN_CHARS, min_size=1, max_size=2))
    return surname + given


# Filler without any given-name character, so a leak is never produced by the filler.
_NAME_FREE_FILLER = st.text(alphabet="找活想在县城附近中不俺开有证电话微信同号本人男女好啊，。 ", max_size=12)


@_SETTINGS
@given(name=invented_names(), intro=st.sampled_from(_INTRODUCTIONS), after=_NAME_FREE_FILLER)
def test_an_introduced_name_never_survives(name: str, intro: str, after: str) -> None:
    text = intro.format(n=name) + after
    masked = understand(text, author_role="resident").masked
    assert name not in masked, masked
    if len(name) == 3:
        assert name[1:] not in masked, masked  # nor the given name alone
