from __future__ import annotations


async def test_validation_errors_never_echo_the_password(client):
    response = await client.post("/api/v1/auth/registration/",
                                  json={"username": "someone", "password": "Secret-Value-991"})
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], list) and body["detail"][0]["loc"][-1] == "email"
    assert "Secret-Value-991" not in response.text
