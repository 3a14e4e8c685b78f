"""An identity provider's JWKS endpoint on loopback: the keys it serves can
change, it can go down (503), and it counts the requests it gets."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jwt.algorithms import ECAlgorithm, RSAAlgorithm


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

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
                owner.requests += 1
                if owner.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps({"keys": owner.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
