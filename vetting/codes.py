"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks, pure.

The format and check digit come from python-stdnum (`stdnum.cn.uscc`); this module adds the
segments stdnum does not judge: the registering authority with its organisation type
(positions 1-2) and the administrative-division region (positions 3-8).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

# GB 32100-2015 table 1: registering authority -> {organisation type code: label}.
ORG_TYPES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直管群众团体", "9": "其他(机构编制)"},
    "2": {"1": "外国常驻新闻机构", "9": "其他(外交)"},
    "3": {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会", "9": "其他(司法行政)"},
    "4": {"1": "外国在华文化中心", "9": "其他(文化)"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他(民政)"},
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台旅游部门常驻代表机构", "9": "其他(旅游)"},
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他(宗教)"},
    "8": {"1": "基层工会", "9": "其他(工会)"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他(军队)"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他(农业)"},
    "Y": {"1": "其他"},
}
# GB/T 2260 province-level prefixes; "10" is used by bodies registered at national level.
PROVINCES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class CodeCheck:
    code: str  # compacted (spaces and dashes removed, upper case)
    problems: list[str] = field(default_factory=list)  # user-facing, Chinese, most precise first
    org_type: str = ""
    region: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _stdnum_problem(code: str) -> str | None:
    try:
        uscc.validate(code)
    except InvalidLength:
        return f"统一社会信用代码应为18位，您发来的是{len(code)}位"
    except InvalidChecksum:
        # The right digit is not revealed: it would help someone make up a code that passes.
        return "第18位校验码与前17位对不上，请对照营业执照逐位核对（常把0写成O、1写成I、2写成Z）"
    except (InvalidFormat, InvalidComponent):
        return "前8位须是数字，其余只能是数字或大写字母（不含I、O、Z、S、V）"
    except ValidationError:
        return "统一社会信用代码格式不对"
    return None


def segment_problems(code: str) -> list[str]:
    """Problems with the authority/type (positions 1-2) and region (3-8) of a well-formed code."""
    problems = []
    types = ORG_TYPES.get(code[0])
    if types is None:
        problems.append(f"第1位登记管理部门代码“{code[0]}”不存在")
    elif code[1] not in types:
        problems.append(f"第2位机构类别“{code[1]}”与登记管理部门“{code[0]}”不匹配")
    region = code[2:8]
    if region[:2] not in PROVINCES or region[2:] == "0000" and region[:2] != "10":
        problems.append(f"第3-8位行政区划码“{region}”不是有效的县级区划")
    return problems


def check_credit_code(raw: str) -> CodeCheck:
    """Format, check digit (stdnum) and segments of a credit code as a person typed it."""
    code = uscc.compact(raw.strip().upper().replace("－", "-").replace("　", " "))
    problem = _stdnum_problem(code)
    if problem is not None:
        return CodeCheck(code, [problem])
    problems = segment_problems(code)
    types = ORG_TYPES.get(code[0], {})
    return CodeCheck(code, problems, org_type=types.get(code[1], ""), region=code[2:8])


def with_check_digit(first17: str) -> str:
    """A full code from its first 17 characters (tests and fixtures build valid codes with it)."""
    return first17 + uscc.calc_check_digit(first17)
