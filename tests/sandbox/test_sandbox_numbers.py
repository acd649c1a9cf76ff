"""IncomingPhoneNumbers: buying (Twilio's magic numbers) and configuring a number's webhooks."""

from __future__ import annotations

from collections.abc import Callable

from conftest import ACCOUNT, TEST_ACCOUNT, TEST_AUTH, Sandbox, assert_twilio_error

from twibench.sandbox import credentials as cred


def test_configure_a_numbers_webhooks(start_sandbox: Callable[..., Sandbox]) -> None:
    box = start_sandbox()
    with box.client() as api:
        path = f"{ACCOUNT}/IncomingPhoneNumbers/{cred.PHONE_NUMBER_SID}.json"
        updated = api.post(path, data={"SmsUrl": "http://127.0.0.1:3000/sms", "SmsMethod": "get",
                                       "VoiceUrl": "http://127.0.0.1:3000/voice", "FriendlyName": "Shop"})  # fmt: skip
        assert updated.status_code == 200
        number = api.get(path).json()
        assert (number["sms_url"], number["sms_method"]) == ("http://127.0.0.1:3000/sms", "GET")
        assert (number["voice_url"], number["voice_method"], number["friendly_name"]) == (
            "http://127.0.0.1:3000/voice", "POST", "Shop"
        )  # fmt: skip
        listed = api.get(f"{ACCOUNT}/IncomingPhoneNumbers.json").json()["incoming_phone_numbers"]
        assert listed[0]["sms_url"] == "http://127.0.0.1:3000/sms"
        assert_twilio_error(api.post(path, data={"SmsMethod": "PUT"}), 400, 21403)
        assert_twilio_error(api.post(path, data={"VoiceUrl": "not a url"}), 400, 21402)
        assert_twilio_error(
            api.post(f"{ACCOUNT}/IncomingPhoneNumbers/PN{'0' * 32}.json", data={"SmsUrl": ""}), 404, 20404
        )


def test_buy_numbers_with_the_magic_values(start_sandbox: Callable[..., Sandbox]) -> None:
    box = start_sandbox()
    with box.client() as api:
        bought = api.post(f"{ACCOUNT}/IncomingPhoneNumbers.json",
                          data={"PhoneNumber": "+15005550010", "VoiceUrl": "http://localhost/v"})  # fmt: skip
        assert bought.status_code == 201
        assert bought.json()["voice_url"] == "http://localhost/v" and bought.json()["sid"].startswith("PN")
        by_area = api.post(f"{ACCOUNT}/IncomingPhoneNumbers.json", data={"AreaCode": "415"}).json()
        assert by_area["phone_number"].startswith("+1415555")
        assert len(api.get(f"{ACCOUNT}/IncomingPhoneNumbers.json").json()["incoming_phone_numbers"]) == 3
        for data, code in (
            ({"PhoneNumber": "+15005550000"}, 21422), ({"PhoneNumber": "+15005550001"}, 21421),
            ({"AreaCode": "533"}, 21452), ({}, 21451),
        ):  # fmt: skip
            assert_twilio_error(api.post(f"{ACCOUNT}/IncomingPhoneNumbers.json", data=data), 400, code)
    with box.client(auth=TEST_AUTH) as test_api:
        fake = test_api.post(f"{TEST_ACCOUNT}/IncomingPhoneNumbers.json", data={"PhoneNumber": "+15005550006"})
        assert fake.status_code == 201 and fake.json()["phone_number"] == "+15005550006"
