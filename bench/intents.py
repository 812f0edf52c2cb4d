"""Intent classification on the labelled replies: accuracy per set and the confusion matrix.

Reads `tests/data/intents_vi.tsv` (labelled), `tests/data/intents_vi_holdout.tsv` and
`tests/data/intents_vi_questions_holdout.tsv` and `tests/data/intents_vi_audit_holdout.tsv` (held
out: written after the rules),
classifies each reply with `bot.conversation.intents.classify` at the sets' fixed `now`, and prints
accuracy, slot accuracy (percent and date where labelled), throughput, the confusion matrix (rows:
expected, columns: predicted) and the misclassified replies.

Run: .venv/bin/python bench/intents.py
"""

import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bot.conversation.intents import IntentKind, classify  # noqa: E402 - path set above
from tests.support.intents_data import (  # noqa: E402
    AUDIT_HELD_OUT,
    HELD_OUT,
    LABELLED,
    NOW,
    QUESTIONS_HELD_OUT,
    Example,
    read_examples,
)

STATE_CHANGES = frozenset(("done", "progress", "blocker"))

GOAL = 0.95


def main() -> None:
    """Print the figures."""
    sets = {
        "labelled": read_examples(LABELLED),
        "held-out": read_examples(HELD_OUT),
        "questions held-out": read_examples(QUESTIONS_HELD_OUT),
        "audit held-out": read_examples(AUDIT_HELD_OUT),
    }
    everything: list[Example] = [e for examples in sets.values() for e in examples]
    confusion: Counter[tuple[str, str]] = Counter()
    misses: list[tuple[str, str, str]] = []
    for name, examples in sets.items():
        right = slots = slot_right = 0
        for example in examples:
            intent = classify(example.text, now=NOW)
            confusion[(example.kind, intent.kind.value)] += 1
            if intent.kind.value == example.kind:
                right += 1
                pairs: tuple[tuple[object, object], ...] = (
                    (example.percent, intent.percent),
                    (example.day, intent.date),
                )
                for want, have in pairs:
                    if want is not None:
                        slots += 1
                        slot_right += want == have
            else:
                misses.append((example.kind, intent.kind.value, example.text))
        print(
            f"{name:9} {right}/{len(examples)} = {right / len(examples):.1%}"
            f"   slots {slot_right}/{slots}"
        )
    asked = [e for examples in sets.values() for e in examples if e.kind not in STATE_CHANGES]
    acted = [e for e in asked if classify(e.text, now=NOW).kind.value in STATE_CHANGES]
    print(f"questions and requests read as done/progress/blocker: {len(acted)} of {len(asked)}")
    total_right = sum(n for (a, b), n in confusion.items() if a == b)
    print(
        f"all       {total_right}/{len(everything)} = {total_right / len(everything):.1%}"
        f"   (goal >= {GOAL:.0%})"
    )
    started, cpu = time.perf_counter(), time.process_time()
    rounds = 20
    for _ in range(rounds):
        for example in everything:
            classify(example.text, now=NOW)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    count = rounds * len(everything)
    # CPU time is what one classification costs; wall time also counts whatever else shares the
    # machine's cores.
    print(
        f"speed     {count / cpu:,.0f} replies/s of CPU ({count / elapsed:,.0f} by the wall clock)"
    )
    kinds = [k.value for k in IntentKind]
    width = max(len(k) for k in kinds)
    print()
    print(" " * (width + 1) + " ".join(f"{k[:5]:>5}" for k in kinds))
    for expected in kinds:
        cells = " ".join(f"{confusion[(expected, got)] or '.':>5}" for got in kinds)
        print(f"{expected:>{width}} {cells}")
    if misses:
        print("\nmisclassified (expected -> predicted):")
        for expected, got, text in misses:
            print(f"  {expected} -> {got}: {text}")


if __name__ == "__main__":
    main()
