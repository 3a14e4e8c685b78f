"""An identity provider's JWKS endpoint on loopback: the keys it serves can
change, it can go down (503), and it counts the requests it gets."""

from __future__ import annotations

from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.support.http import JsonHandler, LoopbackServer


def jwk(private_key, kid: str, alg: str) -> dict:
    """The public JWK of a private key, as a provider publishes it."""
    algorithm = RSAAlgorithm if alg.startswith("RS") else ECAlgorithm
    data = algorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**data, "kid": kid, "alg": alg, "use": "sig"}


class JwksServer:
    def __init__(self, keys: list[dict]) -> None:
        self.keys = list(keys)
        self.down = False
        self.requests = 0
        owner = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
                owner.requests += 1
                if owner.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                self.send_json(200, {"keys": owner.keys})

        self._server = LoopbackServer(Handler)
        self.url = self._server.base_url + "/.well-known/jwks.json"

    def close(self) -> None:
        self._server.close()
