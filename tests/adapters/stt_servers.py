"""A loopback HTTP server shaped like OpenAI's /audio/transcriptions."""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass, field

from tests.support.http import JsonHandler, LoopbackServer


@dataclass
class TranscriptionRequest:
    path: str
    authorization: str | None
    fields: dict[str, str]
    file_name: str | None
    file_type: str | None
    file_bytes: bytes


@dataclass
class FakeTranscriptionAPI:
    api_key: str = "sk-test-stt"
    answer: dict = field(default_factory=lambda: {
        "text": "Um so we shipped it.", "duration": 2.5,
        "words": [{"word": "Um", "start": 0.0, "end": 0.3}, {"word": "so", "start": 0.4, "end": 0.6},
                  {"word": "we", "start": 0.7, "end": 0.9}, {"word": "shipped", "start": 1.0, "end": 1.5},
                  {"word": "it", "start": 1.6, "end": 1.8}],
    })
    status: int = 200
    requests: list[TranscriptionRequest] = field(default_factory=list)

    def start(self) -> None:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                body = self.read_body()
                message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"Content-Type: " + self.headers["content-type"].encode() + b"\r\n\r\n" + body)
                fields, file_part = {}, None
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    if part.get_filename() is not None:
                        file_part = part
                    else:
                        fields[name] = part.get_content().strip()
                fake.requests.append(TranscriptionRequest(
                    path=self.path, authorization=self.headers.get("authorization"), fields=fields,
                    file_name=file_part.get_filename() if file_part else None,
                    file_type=file_part.get_content_type() if file_part else None,
                    file_bytes=file_part.get_payload(decode=True) if file_part else b"",
                ))
                if self.headers.get("authorization") != f"Bearer {fake.api_key}":
                    status, answer = 401, {"error": {"message": "bad key"}}
                elif file_part is None or "model" not in fields:
                    status, answer = 400, {"error": {"message": "file and model are required"}}
                else:
                    status, answer = fake.status, fake.answer
                self.send_json(status, answer)

        self._server = LoopbackServer(Handler)
        self.base_url = self._server.base_url + "/v1"

    def stop(self) -> None:
        self._server.close()
