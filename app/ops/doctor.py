"""`jobmatrix doctor`: check a deployment before WeCom is pointed at it; one line per finding.

Every check reads; none writes (no migration, no key file created): the doctor can be run
against production at any time. Each problem says what to change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import httpx
from pydantic import ValidationError

from app.ops.doctor_state import clock_finding, data_key_findings, database_findings
from app.ops.findings import Finding, ok, problem
from app.ops.url_check import Receiver, check_receiver
from app.settings import Settings

# WeCom and the OA accept 3-32 letters and digits as Token (admin console, 接收消息 / 基本配置).
_TOKEN = re.compile(r"^[A-Za-z0-9]{3,32}$")
_CORP_ID = re.compile(r"^w[wx][0-9a-f]{16}$")  # 企业ID: "ww" (older corps "wx") + 16 hex digits
_APP_ID = re.compile(r"^wx[0-9a-f]{16}$")  # Official Account AppID

CONFIG_FIXES = {
    "WECOM_ENCODING_AES_KEY": "copy the 43-character EncodingAESKey of the app's 接收消息 settings in the WeCom admin console",
    "MP_ENCODING_AES_KEY": "copy the 43-character EncodingAESKey from the Official Account's 设置与开发 → 基本配置",
    "AIBOT_ENCODING_AES_KEY": "copy the 43-character EncodingAESKey of the AI bot's API settings",
    "JOBMATRIX_DATA_KEY": "`jobmatrix keygen` prints a valid key; keep older keys after it, comma-separated",
    "JOBMATRIX_DATABASE_URL": "use sqlite:///path or postgresql://user@host:5432/db",
    "JOBMATRIX_TIMEZONE": "use an IANA name such as Asia/Shanghai",
}


def read_settings(overrides: dict[str, object]) -> tuple[Settings, list[Finding]]:
    """The settings with every invalid value named (and replaced by its default so the other checks run)."""
    findings: list[Finding] = []
    replaced: dict[str, object] = {}
    database_url: object = None  # set when only the PostgreSQL data-key rule failed
    for _ in range(len(Settings.model_fields)):
        try:
            settings = Settings(**{**overrides, **replaced})  # type: ignore[arg-type]
            if database_url is not None:
                settings = settings.model_copy(update={"database_url": database_url})
            return settings, findings
        except ValidationError as error:
            for detail in error.errors():
                alias = str(detail["loc"][0])  # pydantic names the variable (alias), not the field
                field = next((name for name, info in Settings.model_fields.items() if info.alias == alias), alias)
                message = detail["msg"].removeprefix("Value error, ")
                if field == "data_key" and "PostgreSQL" in message:
                    # The data-key check names this with its fix once it has seen the database;
                    # read the rest as if on SQLite so every other check still runs.
                    database_url = overrides.get("JOBMATRIX_DATABASE_URL") or os.environ.get("JOBMATRIX_DATABASE_URL")
                    replaced["JOBMATRIX_DATABASE_URL"] = "sqlite://"
                    continue
                fix = CONFIG_FIXES.get(alias, "correct the value")
                findings.append(problem("configuration", f"{alias} {message}; fix: {fix}"))
                replaced[alias] = Settings.model_fields[field].default
    raise RuntimeError("settings never became valid")  # pragma: no cover - every field has a default


def receivers_of(settings: Settings) -> list[Receiver]:
    """The callback receivers this configuration enables (the ones WeCom/the OA will call)."""
    found = []
    if settings.wecom_token or settings.wecom_encoding_aes_key:
        found.append(Receiver("wecom", "/wecom/callback", settings.wecom_token, settings.wecom_encoding_aes_key,
                              settings.wecom_corp_id, "WECOM_TOKEN", "WECOM_ENCODING_AES_KEY"))
    if settings.mp_token:
        found.append(Receiver("mp", "/mp/callback", settings.mp_token, "", settings.mp_app_id, "MP_TOKEN",
                              "MP_ENCODING_AES_KEY"))
    if settings.aibot_token or settings.aibot_encoding_aes_key:
        found.append(Receiver("aibot", "/aibot/callback", settings.aibot_token, settings.aibot_encoding_aes_key, "",
                              "AIBOT_TOKEN", "AIBOT_ENCODING_AES_KEY"))
    return found


def shape_findings(settings: Settings, receivers: list[Receiver]) -> list[Finding]:
    """Tokens, keys and receive ids that cannot be right, whatever the server answers."""
    if not receivers:
        return [problem("callbacks", "no callback receiver is configured; fix: set WECOM_TOKEN and "
                        "WECOM_ENCODING_AES_KEY (and MP_TOKEN for the Official Account)")]
    findings = []
    for receiver in receivers:
        check = f"{receiver.name} token"
        if not _TOKEN.match(receiver.token):
            findings.append(problem(check, f"{receiver.token_var} must be 3-32 letters and digits (has "
                                    f"{len(receiver.token)} characters); fix: copy the Token from the admin console"))
        elif receiver.name != "mp" and not receiver.aes_key:
            findings.append(problem(check, f"{receiver.key_var} is empty but {receiver.token_var} is set; fix: copy "
                                    "the EncodingAESKey too (this callback is always encrypted)"))
        else:
            findings.append(ok(check, f"{receiver.token_var} and {receiver.key_var} have the right shape"))
    findings.extend(_receive_id_findings(settings, {r.name for r in receivers}))
    return findings


def _id_finding(check: str, variable: str, value: str, pattern: re.Pattern[str], expected: str, fix: str) -> Finding:
    if pattern.match(value):
        return ok(check, f"{variable} {value}")
    return problem(check, f"{variable} {value!r} is not {expected}; fix: {fix}")


def _receive_id_findings(settings: Settings, names: set[str]) -> list[Finding]:
    findings = []
    if "wecom" in names:
        findings.append(_id_finding("wecom receive id", "WECOM_CORP_ID", settings.wecom_corp_id, _CORP_ID,
                                    "a corp id (ww + 16 hex digits), so every decrypted callback is refused",
                                    "copy 企业ID from 我的企业 → 企业信息"))
        if not settings.wecom_secret:
            findings.append(problem("wecom secret", "WECOM_SECRET is empty, so nothing can be sent (gettoken); "
                                    "fix: copy the app's Secret from the admin console"))
    if "mp" in names:
        findings.append(_id_finding("mp receive id", "MP_APP_ID", settings.mp_app_id, _APP_ID,
                                    "an AppID (wx + 16 hex digits); safe-mode callbacks and every send need it",
                                    "copy the AppID from 设置与开发 → 基本配置"))
        if not settings.mp_app_secret:
            findings.append(problem("mp secret", "MP_APP_SECRET is empty, so no reply, push or join QR can be sent "
                                    "to residents; fix: copy the AppSecret from 设置与开发 → 基本配置"))
    return findings


def public_url_findings(receivers: list[Receiver], public_url: str, client: httpx.Client) -> list[Finding]:
    if not public_url:
        return [problem("public url", "not checked; fix: pass --public-url with the base URL registered in WeCom "
                        "(e.g. https://jobs.example.gov.cn) or set JOBMATRIX_PUBLIC_URL")]
    findings = []
    for receiver in receivers:
        check = f"{receiver.name} URL check"
        trouble = check_receiver(receiver, public_url, client=client)
        url = public_url.rstrip("/") + receiver.path
        findings.append(ok(check, f"{url} echoes a signed check correctly") if trouble is None
                        else problem(check, trouble))
    return findings


def diagnose(overrides: dict[str, object] | None = None, *, public_url: str = "", time_source: str = "",
             max_clock_skew: float = 30.0, key_file: str = "var/data.key",
             client_factory: Callable[[], httpx.Client] = lambda: httpx.Client(timeout=5.0)) -> list[Finding]:
    """Every finding, in the order an operator would fix them."""
    settings, findings = read_settings(overrides or {})
    receivers = receivers_of(settings)
    findings += shape_findings(settings, receivers)
    with client_factory() as client:
        findings += public_url_findings(receivers, public_url, client)
        database, engine = database_findings(settings)
        findings += database
        findings.append(clock_finding(engine, time_source=time_source, max_skew=max_clock_skew, client=client))
    findings += data_key_findings(settings, engine, key_file=key_file)
    if engine is not None:
        engine.dispose()
    return findings
