"""First-start index build, run for the app in a child process and watched for progress.

The build is ``legal-assistant ingest`` (``legal_assistant.retrieval.index.ingest``) in its own
process: the app stays responsive, a crash of the embedder cannot take the web server down, and
the build goes on when the user leaves the page. Progress comes from the tqdm bars the command
prints on stderr (one per phase), which is the command's documented output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass

# tqdm's default bar: "向量化法条:  42%|████▏     | 2773/6610 [00:05<00:07, 530.21条/s]"
_BAR = re.compile(r"^(?P<phase>[^:\r\n]+):\s+\d+%\|[^|]*\|\s*(?P<done>\d+)/(?P<total>\d+)")

# The ingest phases in order, with the share of the whole build each one takes (measured on the
# full corpus: embedding dominates).
PHASES: dict[str, float] = {"向量化法条": 0.85, "写入向量库": 0.12, "分词建索引": 0.03}
PREPARING = "正在读取法规库并加载向量模型"


@dataclass(frozen=True)
class BuildProgress:
    phase: str
    done: int
    total: int

    @property
    def fraction(self) -> float:
        """Share of the whole build finished (0…1), counting the phases already passed."""
        finished = 0.0
        for name, weight in PHASES.items():
            if name == self.phase:
                return min(1.0, finished + weight * (self.done / self.total if self.total else 1.0))
            finished += weight
        return finished

    @property
    def label(self) -> str:
        return f"{self.phase}：{self.done:,} / {self.total:,} 条"


def parse_progress(line: str) -> BuildProgress | None:
    """The progress a tqdm line reports, or None for any other output."""
    match = _BAR.match(line.strip())
    if match is None or match["phase"] not in PHASES:
        return None
    return BuildProgress(match["phase"], int(match["done"]), int(match["total"]))


class IndexBuild:
    """One build at a time for the whole app; every browser session watches the same object."""

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or [sys.executable, "-m", "legal_assistant", "ingest"]
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self.progress: BuildProgress | None = None
        self._phase_started: float | None = None
        self.report: dict | None = None
        self.error: str | None = None
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self._stderr_tail: deque[str] = deque(maxlen=20)

    @property
    def running(self) -> bool:
        return self._process is not None and self.finished_at is None

    @property
    def succeeded(self) -> bool:
        return self.report is not None

    @property
    def fraction(self) -> float:
        return self.progress.fraction if self.progress else 0.0

    @property
    def label(self) -> str:
        return self.progress.label if self.progress else PREPARING

    @property
    def remaining_seconds(self) -> float | None:
        """Time left in the current phase at its rate so far (None until there is a rate)."""
        progress = self.progress
        if progress is None or self._phase_started is None or not progress.done or not self.running:
            return None
        rate = progress.done / max(time.monotonic() - self._phase_started, 1e-3)
        return (progress.total - progress.done) / rate

    @property
    def elapsed_seconds(self) -> float:
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.monotonic()) - self.started_at

    def start(self) -> bool:
        """Start the build unless one is running; True when this call started it."""
        with self._lock:
            if self.running:
                return False
            self.progress = self.report = self.error = self.finished_at = self._phase_started = None
            self._stderr_tail.clear()
            self.started_at = time.monotonic()
            # Text mode turns tqdm's carriage returns into line ends, so each update is one line.
            self._process = subprocess.Popen(
                self.command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            threading.Thread(target=self._watch, name="index-build", daemon=True).start()
            return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the build ends; True when it ended within ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.running:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def _watch(self) -> None:
        process = self._process
        assert process is not None and process.stderr is not None and process.stdout is not None
        # stdout is read alongside stderr: a full pipe would otherwise stall the child.
        stdout_chunks: list[str] = []
        stdout_reader = threading.Thread(target=lambda: stdout_chunks.append(process.stdout.read()), daemon=True)
        stdout_reader.start()
        for line in process.stderr:
            progress = parse_progress(line)
            if progress is not None:
                if self.progress is None or self.progress.phase != progress.phase:
                    self._phase_started = time.monotonic()
                self.progress = progress
            elif line.strip():
                self._stderr_tail.append(line.rstrip())
        process.wait()
        stdout_reader.join()
        output = "".join(stdout_chunks).strip().splitlines()
        if process.returncode == 0 and output:
            try:
                self.report = json.loads(output[-1])
            except json.JSONDecodeError:
                self.error = "索引命令没有返回结果摘要"
        else:
            self.error = f"索引建立失败（退出码 {process.returncode}）"
        self.finished_at = time.monotonic()

    @property
    def error_details(self) -> str:
        return "\n".join(self._stderr_tail)
