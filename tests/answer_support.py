"""Shared by the Q&A tests: a small real index (labour law, the civil code's contract book, the
private-lending interpretation, both versions of the public-holiday rules, one court case) and a
real HTTP server that speaks the OpenAI chat-completions protocol with scripted replies."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from retrieval_support import SMALL_CORPUS_FILES

ANSWER_CORPUS_FILES = [
    *SMALL_CORPUS_FILES,
    "行政法规/全国年节及纪念日放假办法(2013-12-11).md",
    "行政法规/全国年节及纪念日放假办法(2024-11-10).md",
]


@dataclass
class ScriptedReply:
    text: str
    delay_s: float = 0.0  # wait this long before answering (longer than the client timeout = a timeout)
    pieces: int = 6  # streamed in this many chunks


@dataclass
class FakeChatServer:
    """OpenAI-compatible ``POST /v1/chat/completions``, streaming (SSE) and not, on 127.0.0.1."""

    replies: deque = field(default_factory=deque)
    requests: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: ScriptedReply) -> None:
        self.replies.extend(replies)

    def start(self) -> "FakeChatServer":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                reply = fake.replies.popleft() if fake.replies else ScriptedReply("您好，法规库中没有找到足够的依据。")
                time.sleep(reply.delay_s)
                try:
                    if body.get("stream"):
                        self._stream(body, reply)
                    else:
                        self._whole(body, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def _whole(self, body, reply):
                payload = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "test"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                }
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, body, reply):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                size = max(1, len(reply.text) // reply.pieces)
                pieces = [reply.text[i : i + size] for i in range(0, len(reply.text), size)]
                for index, piece in enumerate(pieces):
                    delta = {"role": "assistant", "content": piece} if index == 0 else {"content": piece}
                    self._event({"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": body.get("model", "test"), "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
                self._event({"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": body.get("model", "test"), "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, payload):
                self.wfile.write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


_built: dict = {}


def built_answer_index(tmp_path_factory):
    """One real ingest of the answer corpus per test process, shared by every Q&A test module
    (returns the settings environment and a retriever bound to it)."""
    if "index" not in _built:
        import pytest

        from legal_assistant.corpus import Corpus
        from legal_assistant.retrieval.hybrid import HybridRetriever
        from legal_assistant.retrieval.index import ingest
        from retrieval_support import make_small_corpus, use_settings

        root = tmp_path_factory.mktemp("answer_index")
        corpus_dir = make_small_corpus(root / "corpus", ANSWER_CORPUS_FILES)
        with pytest.MonkeyPatch.context() as mp:
            settings = use_settings(mp, corpus_dir, root / "data", root / "models")
            corpus = Corpus.parse(corpus_dir)
            ingest(settings, corpus, progress=False)
            retriever = HybridRetriever(settings, corpus)
        env = {"LEGAL_CORPUS_DIR": str(corpus_dir), "LEGAL_DATA_DIR": str(root / "data"), "LEGAL_MODELS_DIR": str(root / "models")}
        _built["index"] = (env, retriever)
    return _built["index"]
