"""Wording rules of review 3 (pure regular expressions over the post's text).

Each rule is (flag code, pattern, negation pattern or None): a match counts unless the
negation matches within a few characters of it ("不收押金", "体检费公司报销").
"""

from __future__ import annotations

import re

_NEAR = 8  # characters either side of a match searched for a negation

# 劳动合同法 art. 9: an employer may not ask workers for deposits or property (refundable or not:
# 押金 离职退还 is still a deposit); fees and "training" charged before starting are the
# commonest job scam the bureau warns about.
_FEE = (
    r"(?:押金|培训费|服装费|工装费|工服费|体检费|报名费|会员费|材料费|保证金|中介费|介绍费|入职费|资料费|办卡费|手续费|建档费"
    r"|工牌费|住宿费押|床位押|管理费|服务费|信息费|上岗费|办证费|制卡费|照片费|面试费|考试费|认证费|激活费|加盟费|入会费"
    r"|押证|先垫付|垫付|需(?:要)?(?:交|缴纳?|支付|转账)\s*\d+|要交\s*\d+|交\s*\d+\s*(?:元|块)?(?:钱)?(?:的)?\S{0,2}费"
    # Disguised fees: a training loan or instalments taken out in the worker's name, costs
    # "borne by yourself", pay first and start later.
    r"|培训贷|助学贷|贷款培训|分期(?:付|还|交|缴|支付|办理)?|费用?自理|自理\S{0,3}费|自费(?:体检|培训|办证|购买)"
    r"|体检\S{0,2}(?:自费|自理|自己出|自己掏)|\S{1,3}费\S{0,3}(?:从|在)?(?:工资|第一个月)(?:里)?扣"
    r"|先交\S{0,10}?(?:再|才|后)\S{0,2}(?:上岗|上班|入职|安排|培训|面试|工作)"
    r"|交\s*\d+\s*(?:元|块)\S{0,6}?(?:上岗|上班|入职|安排|押))"
)
# A negation applies to the fee it stands next to (不收押金, 押金全免, 体检费公司报销), not to a
# free training or "no experience needed" a few words away (免费培训 押金200 is still a fee).
_FEE_NEG_BEFORE = re.compile(r"(?:不收|无需|无|免|不用|不交|不要|没有|零|公司承担|公司出|厂里出|报销|包)\S{0,2}$")
_FEE_NEG_AFTER = re.compile(r"^\S{0,2}(?:全免|免收|免费|不收|报销|公司承担|公司出|厂里出|包)")
# Scam wording the bureau lists (刷单, 打字员, 日赚, 无需经验高薪) and close variants.
_SCAM = (
    r"(?:刷单|刷信誉|刷好评|刷流量|刷销量|点赞员|点赞关注|点赞.{0,6}一单|关注.{0,4}一单|兼职打字|一千字\s*\d+元|打字员|日赚|躺赚"
    r"|动动手指|做任务|返利|返佣|拉人头|发展下线|拉人入群|无需经验.{0,4}高薪|高薪.{0,4}无需经验|兼职.{0,4}日结.{0,3}[5-9]\d\d"
    r"|手机(?:就能|即可)(?:做|赚)|在家(?:轻松)?(?:月入|日入|赚))"
)
_OFFSITE = r"(?:加\s*(?:QQ|qq|扣扣|微信|VX|vx|V信|v信|薇信|[Vv](?![\w]))|(?:QQ|qq|微信|VX|vx)\s*(?:号|群)?\s*[:：]?\s*[A-Za-z][\w-]{4,})"
_OVERSEAS = (
    r"(?:出国|国外|境外|海外|劳务输出|缅甸|柬埔寨|老挝|迪拜|菲律宾|泰国|越南|马来西亚|印尼|日本|韩国|新加坡|澳洲|澳大利亚"
    r"|新西兰|俄罗斯|沙特|以色列|非洲|中东|欧洲)"
)
_ID_TAKE = r"(?:(?:银行卡|支付宝|微信)\s*密码|身份证(?:原件)?\S{0,4}(?:交给|上交|统一保管|公司保管|由公司)|(?:交|上交)\s*身份证(?:原件)?|押\s*身份证|身份证.{0,3}押|扣\s*(?:押)?\s*身份证|身份证.{0,2}(?:照片|正反面|复印件).{0,4}(?:发|传|拍)|(?:发|传|拍).{0,4}身份证.{0,2}(?:照片|正反面))"
_WAGE_HOLD = r"(?:年底.{0,4}(?:结清|一次结|统一结|才结|再结)|只给生活费|第一个月(?:工资)?不发|(?:押|压|扣)\S{0,2}[一两三]个月(?:的)?工资|押.{0,2}(?:个)?月?工资|扣.{0,2}工资.{0,4}(?:押|保证)|干满.{0,6}才(?:发|结)|压.{0,2}个?月工资)"
# 就业促进法 arts. 27-31 and 妇女权益保障法 art. 43: no gender, ethnic, origin, marital,
# pregnancy or health-carrier (乙肝) screening.
_EXCLUDE = r"(?:不要|勿扰|免谈|不招|谢绝|不考虑|不收|莫扰|别来)"
_ONLY = r"(?:限|只要|只招|仅限|仅招)"
_GENDER = (
    rf"(?:{_ONLY}\s*(?:男|女)|(?:男|女)(?:的|性|士|生)?\s*{_EXCLUDE}"
    # A sex standing alone among the requirements: 女工 45以下, 招文员 女 未婚.
    r"|(?:^|\s)(?:男|女)(?:工|性|的)?(?=\s|$)"
    r"|(?:^|\s)(?:男|女)\s+(?:\d{2}[-~到]\d{2}岁\s+)?(?:长相|形象|颜值|身材|漂亮|甜美)"
    r"|(?:女|男).{0,12}(?:全身照|三围|生活照))"
)
_MARITAL = r"(?:未婚|已婚|单身|离异|婚否|婚育|结过婚|没结婚)"
_MARITAL_NEG = r"(?:不限婚|婚否不限|不限)"
_PREGNANCY = r"(?:怀孕|孕妇|孕期|未育|已育|生育|哺乳期|不能要孩子|二胎|三年内不生|无孩|没孩子|无小孩|没有孩子)"
_ETHNIC = rf"(?:(?:\S{{0,3}}民族|回族|维族|维吾尔族?|藏族|彝族|壮族|苗族)\s*{_EXCLUDE}|{_ONLY}\s*汉族|少数民族\s*{_EXCLUDE})"
_ORIGIN = (
    rf"(?:(?:外地|本地|外省|省外|农村|城镇|城市|\S{{1,3}}省|\S{{1,2}}籍)(?:人|户口|户籍|的)?\s*{_EXCLUDE}"
    rf"|{_ONLY}\s*(?:本地|本县|本市|当地|本省|城镇|城市)(?:人|户口|户籍)?"
    # 本地人 standing alone in a list of requirements (限男 35岁以下 本地人).
    r"|(?:^|\s)(?:本地人|本地户口|本县人|本县户口)(?=\s|$))"
)
_HEALTH = rf"(?:(?:乙肝|大三阳|小三阳|HIV|艾滋|残疾人?)(?:携带者?|病人|患者)?的?\s*{_EXCLUDE}|{_EXCLUDE}\s*乙肝)"
# 初中在读 / 在校初中生: children still in compulsory schooling are almost all under 16.
_UNDERAGE = r"(?:童工|小学生|初中(?:在读|在校|生)|在读初中|在校初中|(?<!\d)1[0-5]\s*(?:周岁|岁)\s*(?:也可|也行|也要|可以)|(?<!\d)(?:1[0-5]|[6-9])\s*(?:周岁|岁)\s*(?:以上|起|即可|就可以|可)|(?<!\d)(?:1[0-5]|[6-9])\s*[-~到至]\s*\d{2}\s*(?:周岁|岁))"

RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (code, re.compile(pattern), re.compile(negation) if negation else None)
    for code, pattern, negation in (
        ("fee_required", _FEE, None),  # negated next to the fee only (_fee_negated)
        ("scam_task", _SCAM, None),
        ("offsite_contact", _OFFSITE, None),
        ("overseas", _OVERSEAS, r"(?:不出国|非出国|料理|烤肉|炸鸡|餐厅|菜馆|风味|韩式|日式)"),
        ("id_collection", _ID_TAKE, r"(?:不押|不扣)"),
        ("wage_withholding", _WAGE_HOLD, r"(?:不押|不压|不扣)"),
        ("discrimination_gender", _GENDER, None),
        ("discrimination_marital", _MARITAL, _MARITAL_NEG),
        ("discrimination_pregnancy", _PREGNANCY, None),
        ("discrimination_ethnic", _ETHNIC, None),
        ("discrimination_origin", _ORIGIN, None),
        ("discrimination_health", _HEALTH, None),
        ("underage", _UNDERAGE, None),
    )
)


def _negated(code: str, text: str, match: re.Match[str], negation: re.Pattern[str] | None) -> bool:
    before, after = text[max(0, match.start() - _NEAR) : match.start()], text[match.end() : match.end() + _NEAR]
    if code == "fee_required":
        return bool(_FEE_NEG_BEFORE.search(before) or _FEE_NEG_AFTER.search(after))
    return bool(negation and negation.search(before + match.group(0) + after))


def wording_flags(text: str) -> list[tuple[str, str]]:
    """(flag code, the words that triggered it) for every wording rule that fires."""
    found = []
    for code, pattern, negation in RULES:
        for match in pattern.finditer(text):
            if not _negated(code, text, match, negation):
                found.append((code, match.group(0).strip()))
                break
    return found
