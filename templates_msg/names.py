"""Find a seeker's full name and turn it into a polite surname-only form (张先生, 王女士, 李*)."""

from __future__ import annotations

import re

# Common surnames (by population, the top of the list covers most of Henan) and a few
# two-character ones; used to accept a candidate name, never to invent one.
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    # Rarer ones, still seen in Henan villages.
    "匡鄢蔺暴弓訾禹郜豆智楚芦揭谈储茹阎蔚帅牧晁庹逯苻尉厉雍隗扈郦冀郗虎荆鞠"
)
SURNAMES_1 = frozenset(_SURNAMES_1)
_SURNAMES_2 = {
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
}
SURNAMES_2 = frozenset(_SURNAMES_2)
# Characters that end a given name in run-on text ("我叫张建国今年45").
_STOP = set(
    "今年男女岁电话手机号联系想找会有在住是的了啊呀吧呢嘛哈我俺本人身份证微信家性别姓名年龄工作干做开能从以"
)
_INTRO = re.compile(r"(?:我叫|俺叫|名叫|叫做|姓名|名字)[:：\s]*")
_WEAK_INTRO = re.compile(r"(?:我是|俺是|本人|联系人)[:：\s]*")
_FOLLOW = re.compile(r"[\s,，.。:：、!！]|男|女|\d|今年|电话|手机|$")
_HEAD = re.compile(r"^[\s【\[]*")
_TITLE_WORDS = ("师傅", "大哥", "大姐", "阿姨", "经理", "老板", "先生", "女士", "老师", "主任", "总")


def _surname(text: str, i: int) -> str | None:
    if text[i : i + 2] in _SURNAMES_2:
        return text[i : i + 2]
    if i < len(text) and text[i] in _SURNAMES_1:
        return text[i]
    return None


def _read_name(text: str, i: int) -> str | None:
    """A full name starting at text[i]: a known surname plus one or two given-name characters."""
    surname = _surname(text, i)
    if surname is None:
        return None
    j = i + len(surname)
    given = ""
    while j < len(text) and len(given) < 2 and "\u4e00" <= text[j] <= "\u9fff" and text[j] not in _STOP:
        given += text[j]
        j += 1
    if not given or any(text[i:].startswith(surname + w) for w in _TITLE_WORDS):
        return None
    return surname + given


def find_full_name(text: str) -> str | None:
    """The author's full name if they introduced themselves, else None."""
    for m in _INTRO.finditer(text):
        name = _read_name(text, m.end())
        if name:
            return name
    head = _HEAD.match(text)
    starts = [head.end() if head else 0] + [m.end() for m in _WEAK_INTRO.finditer(text)]
    for start in starts:
        name = _read_name(text, start)
        # A bare name counts only when a separator, gender, age or phone follows it.
        if name and _FOLLOW.match(text, start + len(name)) and not is_common_word(name):
            return name
    return find_standalone_name(text)


_BOUND = r"[\s,，。.!！?？:：、;；\d~～()（）【】\[\]]"
_STANDALONE = re.compile(rf"(?:^|(?<={_BOUND}))(?P<n>[一-龥]{{2,4}})(?=$|{_BOUND}|电话|手机|男|女|联系)")
# Words that look like names by shape but are ordinary words in seekers' notes.
_NOT_NAMES = {
    "高薪",
    "包吃",
    "包住",
    "包吃住",
    "常年",
    "长期",
    "马上",
    "全职",
    "兼职",
    "时间",
    "白班",
    "夜班",
    "万能",
    "和气",
    "管饭",
    "管吃",
    "管住",
    "管吃住",
    "包饭",
    "时薪",
    "日薪",
    "月薪",
}
_COMMON_WORD_FREQ = 300


# Board and lodging words in job talk look like a surname and a name (包午饭, 管晚饭, 包住宿).
_BOARD = re.compile(r"^[包管][吃住饭午早晚中餐宿车]")


def is_common_word(word: str) -> bool:
    from templates_msg.vocab import places, synonym_index, tokenizer

    if word in _NOT_NAMES or _BOARD.match(word) or word in synonym_index() or word in places():
        return True
    return int(tokenizer().FREQ.get(word) or 0) >= _COMMON_WORD_FREQ


def find_standalone_name(text: str) -> str | None:
    """A name standing on its own (张建国 138…, 联系人：王秀英): surname + 1-2 chars, not a word."""
    for m in _STANDALONE.finditer(text):
        word = m.group("n")
        name = _read_name(word, 0)
        if name and name == word and not is_common_word(word):
            return name
    return None


def polite_name(full_name: str, gender: str | None) -> str:
    """张建国 -> 张先生 / 张女士 / 张*."""
    surname = full_name[:2] if full_name[:2] in _SURNAMES_2 else full_name[0]
    suffix = {"男": "先生", "女": "女士"}.get(gender or "", "*")
    return surname + suffix
