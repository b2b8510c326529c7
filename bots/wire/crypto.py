"""Callback signing and AES encryption as WeCom and the Official Account define them.

The cipher itself is wechatpy's (AES-256-CBC, IV = key[:16], PKCS#7 with a 32-byte block,
plaintext = random16 | len32be | msg | receive_id; see wecom-platform.md §1.3-1.5). This
module adds what wechatpy leaves out: padding validation, a named reason for every rejection
(the -400xx codes of Tencent's sample libraries), a JSON envelope, and a fixed random prefix
for byte-exact tests against the published vectors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import string
import struct
from dataclasses import dataclass

from wechatpy.crypto.base import BasePrpCrypto

# Error codes of Tencent's official callback libraries (ierror.py); we log them with the reason.
SIGNATURE_MISMATCH = -40001
PARSE_ERROR = -40002
INVALID_AES_KEY = -40004
RECEIVE_ID_MISMATCH = -40005
DECRYPT_ERROR = -40007
BAD_BUFFER = -40008
BASE64_DECODE_ERROR = -40010

_RANDOM_ALPHABET = string.ascii_letters + string.digits


class CallbackRejected(Exception):
    """A callback failed verification; `code` is the official library's code, `reason` says why."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


def sign(token: str, timestamp: str, nonce: str, encrypt: str = "") -> str:
    """sha1 over the lexicographically sorted fields; the plain OA mode omits `encrypt`."""
    parts = [token, timestamp, nonce] + ([encrypt] if encrypt else [])
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def same_signature(expected: str, given: str) -> bool:
    """Constant-time check of a hex sha1 signature; anything but ASCII is simply a mismatch
    (compare_digest refuses non-ASCII str, which turned a forged signature into a 500)."""
    if not given.isascii():
        return False
    return secrets.compare_digest(expected.encode("ascii"), given.lower().encode("ascii"))


def decode_aes_key(encoding_aes_key: str) -> bytes:
    """The 43-character EncodingAESKey plus '=' is base64 of the 32-byte AES key."""
    if len(encoding_aes_key) != 43:
        raise CallbackRejected(INVALID_AES_KEY, "EncodingAESKey must be 43 characters")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise CallbackRejected(INVALID_AES_KEY, "EncodingAESKey is not base64") from exc
    if len(key) != 32:
        raise CallbackRejected(INVALID_AES_KEY, "EncodingAESKey does not decode to 32 bytes")
    return key


class _Cipher(BasePrpCrypto):
    """wechatpy's AES core with a pluggable random prefix (fixed in byte-exact tests)."""

    def __init__(self, key: bytes, random_prefix: str | None = None) -> None:
        super().__init__(key)
        self._random_prefix = random_prefix

    def get_random_string(self) -> str:
        if self._random_prefix is not None:
            return self._random_prefix
        return "".join(secrets.choice(_RANDOM_ALPHABET) for _ in range(16))

    def encrypt_text(self, text: str, receive_id: str) -> str:
        return self._encrypt(text, receive_id).decode("ascii")


@dataclass(frozen=True)
class SealedMessage:
    """An encrypted payload with the signature and the timestamp/nonce it was signed with."""

    encrypt: str
    signature: str
    timestamp: str
    nonce: str


class CallbackCrypto:
    """Verify, decrypt and encrypt callbacks for one receiver (WeCom app, AI bot, or OA)."""

    def __init__(self, *, token: str, encoding_aes_key: str, receive_id: str) -> None:
        self.token = token
        self.receive_id = receive_id
        self._key = decode_aes_key(encoding_aes_key)

    def verify_url(self, *, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """Check the GET verification request and return the decrypted echostr to echo back."""
        return self.decrypt(encrypt=echostr, msg_signature=msg_signature, timestamp=timestamp, nonce=nonce)

    def decrypt(self, *, encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """Check the signature over `encrypt`, decrypt it and check the receive-id trailer."""
        if not isinstance(encrypt, str):
            raise CallbackRejected(PARSE_ERROR, "Encrypt is not a string")
        if not same_signature(sign(self.token, timestamp, nonce, encrypt), msg_signature):
            raise CallbackRejected(SIGNATURE_MISMATCH, "msg_signature does not match token/timestamp/nonce/Encrypt")
        plain = self._decrypt_block(encrypt)
        return self._split_plaintext(plain)

    def encrypt(self, text: str, *, timestamp: str, nonce: str, random_prefix: str | None = None) -> SealedMessage:
        """Encrypt `text` for this receiver and sign it."""
        encrypt = _Cipher(self._key, random_prefix).encrypt_text(text, self.receive_id)
        return SealedMessage(encrypt, sign(self.token, timestamp, nonce, encrypt), timestamp, nonce)

    def _decrypt_block(self, encrypt: str) -> bytes:
        try:
            raw = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CallbackRejected(BASE64_DECODE_ERROR, "Encrypt is not valid base64") from exc
        if not raw or len(raw) % 32:
            raise CallbackRejected(BAD_BUFFER, "ciphertext length is not a multiple of 32 bytes")
        plain = _Cipher(self._key).cipher.decrypt(raw)
        pad = plain[-1]
        # wechatpy trusts the pad byte; a forged block must not slice the buffer arbitrarily.
        if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
            raise CallbackRejected(DECRYPT_ERROR, "bad PKCS#7 padding (wrong EncodingAESKey?)")
        return plain[:-pad]

    def _split_plaintext(self, plain: bytes) -> str:
        if len(plain) < 20:
            raise CallbackRejected(BAD_BUFFER, "plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body, trailer = plain[20 : 20 + length], plain[20 + length :]
        if len(body) != length:
            raise CallbackRejected(BAD_BUFFER, "declared message length exceeds the plaintext")
        if trailer.decode("utf-8", "replace") != self.receive_id:
            raise CallbackRejected(RECEIVE_ID_MISMATCH, "receive id in the plaintext does not match")
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CallbackRejected(DECRYPT_ERROR, "decrypted message is not UTF-8") from exc
