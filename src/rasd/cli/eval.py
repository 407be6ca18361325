"""`rasd eval`: score event extraction against gold (../shared/gold/README.md rules), or sentence detection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import EvalError


def _table(report: dict[str, Any]) -> str:
    lines = [
        f"articles {report['articles']}  gold events {report['gold_events']}  predicted {report['pred_events']}  "
        f"matched {report['matched']}",
        f"precision {report['precision']:.3f}  recall {report['recall']:.3f}  F1 {report['f1']:.3f}",
        "accuracy on matched pairs:",
    ]
    for k, v in report["accuracy"].items():
        lines.append(f"  {k:<16} {'-' if v is None else f'{v:.3f}'}")
    mae = report.get("fatalities_total_mae")
    lines.append(f"per-article total fatalities, mean absolute error: {'-' if mae is None else f'{mae:.2f}'}")
    return "\n".join(lines)


def _sentence_table(report: dict[str, dict[str, dict[str, Any]]]) -> str:
    lines = [f"{'class':<8} {'set':<7} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn  tn"]
    for cls, sets in report.items():
        for name, r in sets.items():
            lines.append(
                f"{cls:<8} {name:<7} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}   "
                f"{r['tp']} {r['fp']} {r['fn']} {r['tn']}"
            )
    return "\n".join(lines)


@click.command(name="eval")
@click.argument("gold", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--pred",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Predictions (rasd extract --format jsonl output); default: extract from the gold texts.",
)
@click.option(
    "--sentences",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score ASSAULT/PROTEST sentence detection on an arabic_event_gsr-format JSONL file instead.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--per-article", is_flag=True, help="With --json: keep the per-article breakdown.")
def eval_(
    gold: Path | None, pred: Path | None, sentences: Path | None, as_json: bool, per_article: bool
) -> None:
    """Score rasd against GOLD.jsonl (event P/R/F1 and field accuracies), or --sentences FILE."""
    from ..eval import evaluate_gold, evaluate_sentences

    if sentences is not None:
        table = evaluate_sentences(sentences)
        click.echo(json.dumps(table, ensure_ascii=False, indent=2) if as_json else _sentence_table(table))
        return
    if gold is None:
        raise EvalError("give a GOLD.jsonl file (or --sentences FILE)")
    if not gold.exists():
        raise EvalError(f"gold file {gold} does not exist")
    report = evaluate_gold(gold, pred).to_dict()
    if not per_article:
        report.pop("per_article", None)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2) if as_json else _table(report))
