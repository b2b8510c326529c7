"""The text cues of classification, each with a name and the weight it adds to each class.

Weights are per match (up to `cap` matches). 3 = the cue alone makes a note (招聘, 求职),
2 = a typical word of that kind (月薪, 本人), 1 = a weak hint (厂, 培训). Tuned on the
development split of tests/data/messages; tests/templates_msg/test_corpus.py holds the floors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    weights: dict[str, float]
    cap: int = 99
    # Says who the writer is (俺, 俺闺女, an age), nothing about work: alone it makes no note.
    personal: bool = False


def _cue(name: str, pattern: str, cap: int = 99, personal: bool = False, **weights: float) -> Cue:
    return Cue(name, re.compile(pattern), weights, cap, personal)


_N = r"(?:\d{1,3}|[一二两三四五六七八九十几]{1,3})"

CUES: tuple[Cue, ...] = (
    # -- job ads -------------------------------------------------------------------------
    _cue(
        "hiring verb",
        r"招聘(?!会)|急招|诚聘|急聘|速招|高薪招|招工|招人|长期招|现招|特招|聘请|招收|外发|^\W*招(?!聘会)"
        r"|有想(?:干活|上班|挣钱|打工|找活)的|谁想(?:干活|挣钱|上班|打工)"
        r"|招[一-龥]{0,6}?\d+\s*[名人个位]|招.{0,8}?[若数]干",
        job=3,
    ),
    _cue(
        "pay per day or month",
        r"(?:一天|每天|一晚|每晚|一夜)\s*(?:\d{2,3}(?!\d)|[一二两三四五六七八九]百)"
        r"|(?<!\d)\d{2,3}\s*(?:元|块)?\s*(?:一天|每天|/天)|一个月\s*[一二两三四五六七八九]千"
        r"|日结\s*\d|\d+\s*元\s*/\s*[天月时]|日赚|月入|轻松[一-龥]{0,2}[千万]",
        job=3,
    ),
    _cue(
        "job ad word",
        r"月薪|底薪|薪资|待遇|工资[:：]?\s*\d|包吃住|包吃|包住|管吃|管住|管饭|五险|计件|兼职|[一每]单\s*\d|面试|岗位|有意者|有意向者?|联系电话|联系人"
        r"|提成|上班时间|工作时间|工作地点|上班地点|名额|报到|入职|转正|试用期|加班费|年龄要求|要求[:：]|优先|以下|以内",
        job=2,
    ),
    _cue("weak job word", r"\d+\s*[名位]|若干|招|聘|厂|公司|老板|需要[一-龥]{0,5}?(?:人|工|员|师傅)", job=1),
    # 限男 / 限45岁 / 男女不限 / 18-50岁: a requirement is set for others, not said of oneself.
    _cue(
        "requirement on workers",
        rf"限\s*(?:男|女|{_N}\s*岁|年龄)|男女不限|不限男女|(?<![\d.])\d{{2}}\s*[-~～到至]\s*\d{{2}}\s*(?:岁|周岁)"
        r"|(?<!\d)\d{2}\s*(?:周岁|岁)?\s*(?:以上|以下|以内|之间)",
        job=2,
    ),
    # What employers ask of workers or promise them: 有经验者优先, 持证上岗, 经验不限, 吃苦耐劳,
    # 待遇从优, 多劳多得, 面议, 熟手, and a contact with a title (王经理, 刘姐, 张老板).
    _cue(
        "asked of workers",
        r"(?:有经验|经验|持证|有证|熟手|熟练工?|会电脑)\S{0,2}(?:优先|者优先|上岗)|经验不限|无经验可|(?:无|没有)经验也可|吃苦耐劳"
        r"|要求\S{0,6}(?:身体健康|能吃苦)|待遇从优|待遇优厚|多劳多得|工资面议|面议|熟手|学徒工?(?:可|也)"
        r"|(?:(?<![一-龥])|(?<=联系)|(?<=联系人)|(?<=找))[王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
        r"余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文]"
        r"(?:经理|老板|主管|总|女士|厂长|场长|店长|队长|师傅|姐|哥)(?![一-龥]{2})",
        cap=2,
        job=2,
    ),
    # 上六休一 / 月休4天 / 早8晚5 / 两班倒: the hours of a job on offer.
    _cue("working hours", r"上[五六]休[一二]|月休\s*\d|单休|两班倒|三班倒|早\d{1,2}[点:：]?晚\d{1,2}|长白班|周结|月结", cap=1, job=1),
    # Money asked of workers is something only a (dubious) employer writes.
    _cue("fee asked of workers", r"押金|服装费|工装费|培训费|体检费|报名费|保证金|办卡费|培训贷", job=1),
    # 初中在读也可 / 男女均可 / 无经验即可: what is acceptable in a worker.
    _cue("acceptable worker", r"[也均皆]可|即可|都可以|均要", job=1),
    # 要3个人 / 要两个电焊工 / 缺人: somebody needs workers.
    _cue(
        "wants workers",
        rf"要\s*{_N}\s*(?:个|名|位)?\s*(?:人|工人|师傅)|要{_N}\s*(?:个|名|位)[一-龥]{{1,5}}(?:工|员|师傅)|缺人|人手不够"
        r"|(?:要|缺|找)[个俩]\S{1,6}?的(?![活事])|(?:需要|要|缺)(?:[个俩]|几个?|[两三四五六七八九十\d]{1,2}个)[一-龥]{1,6}"
        r"|(?:需要|急需|缺)[一-龥]{0,4}(?:师傅|工人|司机|[工员])(?![作资])",
        job=2,
    ),
    # 服务员1名 / 普工15个 / 保安2名: a headcount right after the job.
    _cue("headcount", r"(?<=[一-龥])\s*\d{1,3}\s*(?:名|位|个(?![月小人])|个人)", job=2),
    # 18-45 without 岁: an age range is a requirement (dates and phones are other shapes).
    _cue("bare age range", r"(?<![\d\-.])(?:1[6-9]|[2-5]\d)\s*[-~～到至]\s*(?:[2-6]\d)(?![\d\-.:月号日])", job=2),
    # 2800 / 5000左右: a bare monthly figure leans job, weakly (a seeker may name a wage too).
    # 日结 alone: paid by the day, which a seeker may ask for as well (日结也中).
    _cue("paid daily", r"日结", cap=1, job=1),
    _cue("bare wage", r"(?<![\d\-.])[2-9]\d{3}(?![\d\-.年])", cap=1, job=1),
    _cue("meals or board", r"管[一两三]?顿?[午晚早]?饭|管吃|管住|包[一两三]顿|包[午晚早]饭", cap=1, job=1),
    _cue("monthly wage figure", r"(?<![\d.])\d{4,5}\s*(?:元|块)?\s*(?:/|一|每)\s*(?:个)?月|月\s*[1-9]\s*[千kK]|人数", job=2),
    # -- seeker notes --------------------------------------------------------------------
    _cue(
        "seeking work",
        r"求职|找工作|找活|找个活|找份|求一份|求个|想找|想进厂|(?<![谁有])想干|想去|想学|想当|寻找工作|找(?![着到])[一-龥]{0,6}的?活|找[一-龥]{1,4}工作"
        r"|求[一-龥]{1,6}工作|谁家要人|谁要人|需要[一-龥]{0,6}的老板|有需要的联系|有活\S{0,2}(?:叫|喊|联系|找|吱)"
        r"|求活|寻活|寻一份|找点活|应聘"
        # 有没有要装卸的: is anyone taking on (people like me)?
        r"|有没有要[一-龥]{1,5}的",
        seeker=3,
    ),
    # 女 五十 / 六十了 / 53岁: an age said of oneself.
    _cue(
        "own age",
        r"[男女]\s*[,，]?\s*[二三四五六七]十[一二三四五六七八九]?|(?<![\d])(?:\d{2}|[二三四五六七]十[一二三四五六七八九]?)(?:多)?了"
        r"|[二三四五六七]十[一二三四五六七八九]?(?:多)?岁",
        cap=1,
        seeker=2,
    ),
    # 电焊 十年 / 干了二十多年: years of one's own experience (not 三年以上, a requirement).
    _cue("years of experience", r"(?<![\d])(?:[一二两三四五六七八九十几]+|\d{1,2})\s*多?年(?:了|经验|工龄)?(?!\s*(?:以上|以下|以内))", cap=1, seeker=2),
    # 日结也中 / 啥都行 / 有力气: what the writer is willing or able to do.
    _cue("willing", r"也中|都中|也行|都行|都可以干|有力气|力气大|能干活|不怕累|能下力|能出力|肯干", cap=1, seeker=1),
    # 找保洁 as the whole opening: looking for that kind of work.
    _cue("opens with 找", r"^\W*找(?![人个几俩])", seeker=2),
    # 俺爹 / 我老婆 / 俺家老头: someone writes for a relative who needs work.
    _cue(
        "writing for a relative",
        r"(?:[俺我]|俺家|我家)的?(?:爹|爸|妈|娘|儿子?|闺女|姑娘|媳妇|老婆|对象|叔|婶|哥|姐|弟|妹|孙子|侄子|侄女|外甥|老头|老伴)",
        cap=1,
        personal=True,
        seeker=1,
    ),
    # 王大姐 54 / 唐晓芳 28: an age standing alone as a word (16 to 79).
    _cue(
        "bare age",
        r"(?:^|(?<=\s))[1-7]\d(?=$|\s)(?!\s*(?:以上|以下|以内|岁|周岁|个|名|人|元|块))",
        cap=1,
        personal=True,
        seeker=2,
    ),
    # 本人 / 俺: the writer speaks of themself (once is enough: 俺 is also just "we").
    _cue("first person", r"本人|俺", cap=1, personal=True, seeker=2),
    _cue(
        "about oneself",
        # 有证, 经验, 身体健康 are said of oneself, unless they are asked of workers (有证优先,
        # 经验不限, 要求身体健康): those are the "requirement" cue of job ads.
        r"我(?:会|有|干过|做过|想|能|是|今年|叫)|^\W*会|\s会|会开|(?<!要求)(?:有证|持证)(?!优先|者|上岗)"
        r"|(?<![有无])经验(?!不限|优先|者|丰富者|要求)|干过|做过|干了\d|都会"
        r"|(?<!要求)(?:能吃苦|身体好|身体健康)(?!耐劳|者|即可)"
        r"|(?<![-~～到至\d])\d{2}\s*岁(?!\s*(?:以上|以下|以内|之间))|[男女]\s*\d{2}(?![-~～到至\d]|\s*(?:以上|以下|以内))"
        r"|(?<!有)意向(?!者)|希望|能干|啥活都|驾照|驾龄|跑了",
        seeker=2,
    ),
    # -- bureau notices ------------------------------------------------------------------
    _cue(
        "notice word",
        r"政策|补贴|通知|公告|人社|零工市场|宣讲|人力资源和社会保障|就业局|就业服务中心|培训班|免费培训|招聘会"
        r"|申领|申报|失业保险|创业担保|贷款|温馨提示|社保局|医保|退役军人|脱贫|务工|公益性岗位|人才市场|春风行动"
        r"|职业技能|考试|报名时间|截止|办理|提醒|送岗位|现场招聘|专场|带岗|\d+多?个岗位|岗位\d+多?个|\d+余?家企业"
        r"|会议|开会|专干|开课|学费|培训学校|服务站|职业指导",
        policy=3,
    ),
    # A training centre's list of its graduates: profiles that read like notes, but a notice.
    _cue("trainee list", r"(?<![招收])学员|结业|名单|毕业生", cap=1, policy=4),
    _cue("notice header", r"^\W*【", cap=1, policy=1),
    _cue(
        "public word",
        r"培训|报名|街道|办事处|村委|社区|乡亲|各位|群众|政府|县委|镇政府|活动|讲座|咨询电话|现场|开张|都可以来|下乡",
        policy=1,
    ),
    # -- questions -----------------------------------------------------------------------
    _cue(
        "question",
        r"有没有|有木有|有无|哪里有|哪有|哪儿有|谁家|谁知道|还招|招不招|要不要人|缺人吗|缺不缺|请问|打听|咋报名|怎么报名"
        r"|在哪|能不能|可以吗|行不行|多少钱|还有没|还要人|有人要|人要不|要人不|有招[一-龥]{0,6}的|吗|嘛|[?？]|[不没]\W*$"
        r"|怎么领|咋领|怎么办|咋办|怎么申请|怎么弄|多少啊|能挣多少|挣多少|哪里招|哪儿招|哪家招|[能可]以?参加"
        r"|几号|几点|哪天|什么时候|啥时候|多久|([^\s中行])不\1",
        query=2,
    ),
)
