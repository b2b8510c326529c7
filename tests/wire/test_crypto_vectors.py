"""Tencent's published callback vectors, reproduced byte for byte by bots.wire.crypto."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.wire.crypto import (
    RECEIVE_ID_MISMATCH,
    SIGNATURE_MISMATCH,
    CallbackCrypto,
    CallbackRejected,
    sign,
)
from bots.wire.envelope import parse_xml

DATA = json.loads((Path(__file__).parent.parent / "data" / "wecom_vectors.json").read_text())
VECTORS = {v["id"]: v for v in DATA["vectors"]}


def crypto_for(vector: dict, receive_id: str | None = None) -> CallbackCrypto:
    return CallbackCrypto(
        token=vector["token"],
        encoding_aes_key=vector["encoding_aes_key"],
        receive_id=vector["receive_id"] if receive_id is None else receive_id,
    )


def test_verify_url_returns_tencents_echostr_plaintext():
    v = VECTORS["wecom-py-verifyurl"]
    echoed = crypto_for(v).verify_url(
        msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["nonce"], echostr=v["encrypt"]
    )
    assert echoed == v["plaintext"]


def test_wechatpy_signature_vector_passes_and_its_negative_fails():
    v = VECTORS["wecom-wechatpy-check-signature"]
    crypto_for(v).verify_url(msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["nonce"], echostr=v["encrypt"])
    with pytest.raises(CallbackRejected) as err:
        crypto_for(v).verify_url(
            msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["bad_nonce"], echostr=v["encrypt"]
        )
    assert err.value.code == SIGNATURE_MISMATCH


def test_decrypt_official_text_message_exactly():
    v = VECTORS["wecom-py-decrypt-text"]
    encrypt = parse_xml(v["post_body"])["Encrypt"]
    plain = crypto_for(v).decrypt(encrypt=encrypt, msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["nonce"])
    assert plain == v["plaintext"]
    assert parse_xml(plain)["Content"] == "你好"


def test_decrypt_wechatpy_vector():
    v = VECTORS["wecom-wechatpy-decrypt"]
    encrypt = parse_xml(v["post_body"])["Encrypt"]
    plain = crypto_for(v).decrypt(encrypt=encrypt, msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["nonce"])
    fields = parse_xml(plain)
    for key, value in v["plaintext_contains"].items():
        assert fields[key] == value


def test_encrypted_reply_is_byte_exact_with_fixed_random_prefix():
    v = VECTORS["wecom-wechatpy-encrypt-reply"]
    sealed = crypto_for(v).encrypt(v["plaintext"], timestamp=v["timestamp"], nonce=v["nonce"], random_prefix=v["random_prefix"])
    assert sealed.encrypt == v["encrypt"]
    assert sealed.signature == v["msg_signature"]


def test_wrong_receive_id_is_rejected():
    v = VECTORS["wecom-py-decrypt-text"]
    encrypt = parse_xml(v["post_body"])["Encrypt"]
    with pytest.raises(CallbackRejected) as err:
        crypto_for(v, receive_id="wwSOMEOTHERCORP").decrypt(
            encrypt=encrypt, msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["nonce"]
        )
    assert err.value.code == RECEIVE_ID_MISMATCH


def test_wrong_aes_key_with_valid_signature_is_rejected_not_crashing():
    """The most common misconfiguration: right token, wrong EncodingAESKey."""
    v = VECTORS["wecom-py-decrypt-text"]
    wrong = CallbackCrypto(token=v["token"], encoding_aes_key="B" * 43, receive_id=v["receive_id"])
    encrypt = parse_xml(v["post_body"])["Encrypt"]
    with pytest.raises(CallbackRejected):
        wrong.decrypt(encrypt=encrypt, msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["nonce"])


def test_truncated_ciphertext_is_rejected():
    v = VECTORS["wecom-py-decrypt-text"]
    encrypt = parse_xml(v["post_body"])["Encrypt"][:-8]
    with pytest.raises(CallbackRejected):
        crypto_for(v).decrypt(encrypt=encrypt, msg_signature=sign(v["token"], v["timestamp"], v["nonce"], encrypt),
                              timestamp=v["timestamp"], nonce=v["nonce"])


@pytest.mark.parametrize("row", DATA["plain_signature_vectors"]["rows"])
def test_official_account_plain_signatures(row):
    timestamp, nonce, signature = row
    assert sign(DATA["plain_signature_vectors"]["token"], timestamp, nonce) == signature


def test_round_trip_of_chinese_text_with_empty_receive_id_like_the_ai_bot():
    crypto = CallbackCrypto(token="t", encoding_aes_key="a" * 43, receive_id="")
    sealed = crypto.encrypt('{"text":{"content":"@助手 会开叉车"}}', timestamp="1700000000", nonce="n1")
    assert crypto.decrypt(encrypt=sealed.encrypt, msg_signature=sealed.signature, timestamp="1700000000", nonce="n1") == (
        '{"text":{"content":"@助手 会开叉车"}}'
    )


def test_official_json_envelope_sample_decrypts_exactly():
    v = VECTORS["wecom-py-json-decrypt"]
    encrypt = json.loads(v["post_body"])["Encrypt"]
    plain = crypto_for(v).decrypt(encrypt=encrypt, msg_signature=v["msg_signature"], timestamp=v["timestamp"], nonce=v["nonce"])
    assert plain == v["plaintext"]
