"""The admin API's bearer header and a valid enterprise body, shared by the admin API tests."""

from __future__ import annotations

from tests.vetting.conftest import ADMIN_TOKEN, GOOD_CODE

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
BODY = {"name": "中牟县宏达物流有限公司", "credit_code": GOOD_CODE, "legal_rep": "张建国", "address": "中牟县青年路88号",
        "industry": "物流仓储", "contact_name": "王经理", "contact_phone": "13812340000", "licence_media_id": "m1"}
