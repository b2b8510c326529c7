"""One settings object, read once from the environment or a `.env` file (see README, Configuration)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

_AES_KEY = re.compile(r"^[A-Za-z0-9]{43}$")


def _check_http_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"must be an http(s) URL, got {value!r}")
    return value if value.endswith("/") else value + "/"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite:///var/jobmatrix.db", alias="JOBMATRIX_DATABASE_URL")
    timezone: str = Field("Asia/Shanghai", alias="JOBMATRIX_TIMEZONE")
    admin_token: str = Field("", alias="JOBMATRIX_ADMIN_TOKEN")
    # Comma-separated Fernet keys, newest first; empty means "use var/data.key" (created on first use).
    data_key: str = Field("", alias="JOBMATRIX_DATA_KEY", validate_default=True)
    # Callbacks older or newer than this many seconds are refused as replays.
    callback_max_skew_seconds: int = Field(300, alias="JOBMATRIX_CALLBACK_MAX_SKEW")
    # Refused callbacks keep this many detail rows (and log lines) per channel, code and hour;
    # beyond it they are only counted, so a flood cannot grow the table or the log.
    rejected_sample_per_hour: int = Field(100, ge=0, alias="JOBMATRIX_REJECTED_SAMPLE_PER_HOUR")
    # Inbound messages, delivery payloads, API-call rows older than this are purged daily (0 = never).
    retention_days: int = Field(180, ge=0, alias="JOBMATRIX_RETENTION_DAYS")

    wecom_corp_id: str = Field("", alias="WECOM_CORP_ID")
    wecom_agent_id: int = Field(1000002, alias="WECOM_AGENT_ID")
    wecom_secret: str = Field("", alias="WECOM_SECRET")
    wecom_token: str = Field("", alias="WECOM_TOKEN")
    wecom_encoding_aes_key: str = Field("", alias="WECOM_ENCODING_AES_KEY")
    wecom_api_base: str = Field("https://qyapi.weixin.qq.com/cgi-bin/", alias="WECOM_API_BASE")

    mp_app_id: str = Field("", alias="MP_APP_ID")
    mp_app_secret: str = Field("", alias="MP_APP_SECRET")
    mp_token: str = Field("", alias="MP_TOKEN")
    mp_encoding_aes_key: str = Field("", alias="MP_ENCODING_AES_KEY")
    mp_api_base: str = Field("https://api.weixin.qq.com/cgi-bin/", alias="MP_API_BASE")
    # Template for new jobs pushed to subscribers outside the 48 h window (docs/matching.md); empty = off.
    mp_job_template_id: str = Field("", alias="MP_JOB_TEMPLATE_ID")

    aibot_token: str = Field("", alias="AIBOT_TOKEN")
    aibot_encoding_aes_key: str = Field("", alias="AIBOT_ENCODING_AES_KEY")

    @field_validator("wecom_encoding_aes_key", "mp_encoding_aes_key", "aibot_encoding_aes_key")
    @classmethod
    def _aes_key(cls, value: str) -> str:
        if value and not _AES_KEY.match(value):
            raise ValueError(f"must be 43 characters of A-Z, a-z, 0-9 (got {len(value)} characters)")
        return value

    @field_validator("wecom_api_base", "mp_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        return _check_http_url(value)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"is not a database URL: {value!r}") from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(f"must be sqlite or postgresql, got {url.get_backend_name()!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"is not an IANA time zone: {value!r}") from exc
        return value

    @field_validator("data_key")
    @classmethod
    def _data_key(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip() and str(info.data.get("database_url", "")).startswith("postgresql"):
            # Every host must encrypt with the same key; a key file per host would make each
            # host's rows unreadable to the others.
            raise ValueError("is required with PostgreSQL (one key for every host; create one with "
                             "`jobmatrix keygen`)")
        for position, key in enumerate(k.strip() for k in value.split(",") if k.strip()):
            try:
                Fernet(key)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"key #{position + 1} is not a Fernet key (use `jobmatrix keygen`)") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ConfigError(SystemExit):
    """Start-up stops with one line naming the variable."""


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "?"
    alias = Settings.model_fields[field].alias if field in Settings.model_fields else field
    message = first["msg"].removeprefix("Value error, ")
    return f"configuration error: {alias or field} {message}"


def load_settings(**overrides: object) -> Settings:
    """Read the settings; on a bad value raise ConfigError with one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()

