"""Official Account qrcode/create, showqrcode, media/upload and image customer-service messages."""

from __future__ import annotations

import io

import segno
import zxingcpp
from PIL import Image

OPENID = "o_follower_1"


def mp_post(api, path: str, body: dict | None = None, **params) -> dict:
    params.setdefault("access_token", mp_token(api))
    response = api.http.post("/mp/cgi-bin/" + path, params=params, json=body)
    assert response.status_code == 200
    return response.json()


def mp_token(api) -> str:
    cfg = api.cfg
    params = {"grant_type": "client_credential", "appid": cfg.mp_app_id, "secret": cfg.mp_app_secret}
    return api.http.get("/mp/cgi-bin/token", params=params).json()["access_token"]


def qr(action: str, **scene) -> dict:
    return {"action_name": action, "action_info": {"scene": scene}}


def png() -> bytes:
    buffer = io.BytesIO()
    segno.make("hello").save(buffer, kind="png")
    return buffer.getvalue()


def test_permanent_string_scene_has_no_expiry_and_is_stable(api):
    first = mp_post(api, "qrcode/create", qr("QR_LIMIT_STR_SCENE", scene_str="V410102001"))
    assert first.get("errcode", 0) == 0
    assert first["url"].startswith("http://weixin.qq.com/q/") and first["ticket"].startswith("gQ")
    assert "expire_seconds" not in first
    again = mp_post(api, "qrcode/create", qr("QR_LIMIT_STR_SCENE", scene_str="V410102001"))
    assert (again["ticket"], again["url"]) == (first["ticket"], first["url"])


def test_temporary_codes_expire_default_60s_max_30_days(api, clock):
    default = mp_post(api, "qrcode/create", qr("QR_SCENE", scene_id=123))
    assert default["expire_seconds"] == 60
    long = mp_post(api, "qrcode/create", {**qr("QR_STR_SCENE", scene_str="x"), "expire_seconds": 9_999_999})
    assert long["expire_seconds"] == 2_592_000
    image = api.http.get("/mp/cgi-bin/showqrcode", params={"ticket": default["ticket"]})
    assert image.status_code == 200
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.content)))
    assert decoded.text == default["url"]
    clock.advance(61)
    assert api.http.get("/mp/cgi-bin/showqrcode", params={"ticket": default["ticket"]}).status_code == 404


def test_scene_limits_are_40053(api):
    for body in (
        qr("QR_LIMIT_SCENE", scene_id=100_001),
        qr("QR_LIMIT_SCENE", scene_id=0),
        qr("QR_SCENE", scene_id=2**31),
        qr("QR_LIMIT_STR_SCENE", scene_str=""),
        qr("QR_LIMIT_STR_SCENE", scene_str="v" * 65),
        qr("QR_LIMIT_STR_SCENE", scene_id=5),
        qr("QR_FOREVER", scene_id=5),
    ):
        assert mp_post(api, "qrcode/create", body)["errcode"] == 40053, body
    assert mp_post(api, "qrcode/create", qr("QR_LIMIT_SCENE", scene_id=100_000))["url"]


def test_uploaded_image_goes_out_as_a_customer_service_image(api):
    api.control("mp/interaction", {"openid": OPENID, "kind": "subscribe"})
    upload = api.http.post(
        "/mp/cgi-bin/media/upload",
        params={"access_token": mp_token(api), "type": "image"},
        files={"media": ("qr.png", png(), "image/png")},
    ).json()
    assert upload["type"] == "image" and upload["media_id"] and upload["created_at"]
    body = {"touser": OPENID, "msgtype": "image", "image": {"media_id": upload["media_id"]}}
    assert mp_post(api, "message/custom/send", body)["errcode"] == 0
    [entry] = api.emu.state.received(f"openid:{OPENID}")
    assert entry["msgtype"] == "image"
    shown = api.http.get(f"/_emulator/mp/media/{upload['media_id']}")
    assert shown.content == png()


def test_upload_refusals_and_unknown_media(api, clock):
    token = mp_token(api)
    upload = "/mp/cgi-bin/media/upload"
    files = {"media": ("qr.png", png(), "image/png")}
    assert (
        api.http.post(upload, params={"access_token": token, "type": "doc"}, files=files).json()["errcode"]
        == 40004
    )
    not_image = {"media": ("a.png", b"plain text", "image/png")}
    assert (
        api.http.post(upload, params={"access_token": token, "type": "image"}, files=not_image).json()[
            "errcode"
        ]
        == 40005
    )
    assert api.http.post(upload, params={"access_token": token, "type": "image"}).json()["errcode"] == 41005
    api.control("mp/interaction", {"openid": OPENID, "kind": "subscribe"})
    send = {"touser": OPENID, "msgtype": "image", "image": {"media_id": "nope"}}
    assert mp_post(api, "message/custom/send", send)["errcode"] == 40007
    media_id = api.http.post(upload, params={"access_token": token, "type": "image"}, files=files).json()[
        "media_id"
    ]
    clock.advance(3 * 24 * 3600)  # temporary media live 3 days
    api.control("mp/interaction", {"openid": OPENID, "kind": "message"})
    send["image"]["media_id"] = media_id
    assert mp_post(api, "message/custom/send", send)["errcode"] == 40007
