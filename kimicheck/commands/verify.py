"""`kimicheck verify PROVIDER [CONFIG] --samples FILE.jsonl`: the K2 Vendor Verifier's tool-call check."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import TextIO

from kimicheck.commands.shared import (
    CONFIG_ENV,
    DEFAULT_CONFIG_PATH,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    Streams,
    add_catalog_option,
    apply_catalog,
    config_path,
    load_checked_config,
    parse_concurrency,
    parse_timeout,
    provider_and_config,
)
from kimicheck.config.models import Config, ModelEntry, Provider
from kimicheck.errors import InputError, UsageError
from kimicheck.probe.verify_samples import Sample
from kimicheck.probe.verify_summary import Record, Summary, parse_record

__all__ = ["HELP", "configure", "run"]

HELP = f"""\
Send K2 Vendor Verifier samples (one chat-completions request body with `tools` per line) to PROVIDER's model
and report K2VV's metrics: count_finish_reason_tool_calls, count_successful_tool_call, schema_accuracy, and with
--reference the precision, recall and F1 of finish_reason tool_calls. Every sample is a paid request.
Without CONFIG, uses ${CONFIG_ENV}, or {DEFAULT_CONFIG_PATH}.

exit codes:
  0  schema accuracy is at least --min-schema-accuracy and no request failed
  1  schema accuracy is lower (or there were no tool calls to judge), or a request failed
  2  usage error, a bad samples file, or a config that does not load or has lint errors"""


def _fraction(value: str) -> float:
    try:
        number = float(value.removesuffix("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a fraction between 0 and 1 (or a percentage)")
    return number


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `kimicheck verify`."""
    parser.usage = "%(prog)s PROVIDER [CONFIG] --samples FILE.jsonl [options]"
    parser.add_argument("provider", metavar="PROVIDER", help="the provider's name in the config")
    parser.add_argument("config", nargs="?", metavar="CONFIG", help="the config file (before or after PROVIDER)")
    parser.add_argument("--samples", required=True, metavar="FILE", help="K2VV samples, one request per line")
    parser.add_argument("--model", metavar="ID", help="which configured model (needed when there are several)")
    parser.add_argument("--reference", metavar="FILE", help="answers of the official API, for precision/recall")
    parser.add_argument("--output", metavar="FILE", help="write one JSON line per sample as it is answered")
    parser.add_argument("--resume", action="store_true", help="skip the samples --output already has")
    parser.add_argument("--max-requests", type=parse_concurrency, metavar="N", help="send at most N requests")
    parser.add_argument("--max-tokens", type=parse_concurrency, metavar="N",
                        help="send no further request once N tokens (prompt + completion) were used")
    parser.add_argument("--min-schema-accuracy", type=_fraction, default=0.0, metavar="F",
                        help="exit 1 below this schema accuracy (0.95 or 95%%; default 0)")
    add_catalog_option(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text", help="summary format (default: text)")
    parser.add_argument("--timeout", type=parse_timeout, metavar="DUR",
                        help="time one sample's request may take (default: the config's timeout)")
    parser.add_argument("--concurrency", type=parse_concurrency, default=4, metavar="N",
                        help="requests in flight at once (default: 4)")


def _pick_model(provider: Provider, wanted: str | None) -> ModelEntry:
    models = provider.model_entries()
    ids = ", ".join(m.id for m in models) or "none"
    if wanted is not None:
        for model in models:
            if model.id == wanted:
                return model
        raise UsageError(f"{provider.name} has no model {wanted!r} configured (it has: {ids})")
    if len(models) != 1:
        raise UsageError(f"{provider.name} has {len(models)} models configured ({ids}); choose one with --model")
    return models[0]


def _previous_records(path: Path) -> list[Record]:
    """The answered samples of an earlier run's output; failed requests and a torn last line are dropped."""
    from kimicheck.probe.verify_samples import read_lines_file

    records = []
    for raw in read_lines_file(path, "output").split(b"\n"):
        try:
            record = parse_record(json.loads(raw)) if raw.strip() else None
        except (ValueError, RecursionError):
            record = None
        if record is not None and record.error is None:
            records.append(record)
    return records


def _open_output(args: argparse.Namespace) -> tuple[TextIO | None, list[Record]]:
    if args.output is None:
        if args.resume:
            raise UsageError("--resume needs --output FILE (the output of the run to finish)")
        return None, []
    path = Path(args.output)
    if not args.resume and path.exists():
        raise UsageError(f"{path} exists: add --resume to finish that run, or remove it")
    previous = _previous_records(path) if args.resume and path.exists() else []
    # rewritten whole first, so a line torn by an interrupt does not run into the next one
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("".join(record.line() for record in previous), encoding="utf-8")
    temporary.replace(path)
    return path.open("a", encoding="utf-8"), previous


class _Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream: TextIO, total: int, done: int) -> None:
        self.stream, self.total, self.done = stream, total, done
        self.shown = stream.isatty()

    def advance(self) -> None:
        self.done += 1
        if self.shown:
            filled = 30 * self.done // max(self.total, 1)
            self.stream.write(f"\rverify [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.2f}%"


def render_text(summary: Summary, provider: str, model: str) -> str:
    """The text summary."""
    rows = [("samples", str(summary.samples)), ("answered", str(summary.answered)),
            ("errors", str(summary.errors)), ("not sent", str(summary.not_sent)),
            ("count_finish_reason_tool_calls", str(summary.count_finish_reason_tool_calls)),
            ("count_successful_tool_call", str(summary.count_successful_tool_call)),
            ("schema_accuracy", _percent(summary.schema_accuracy))]
    rows += [(f"  {name}", str(count)) for name, count in summary.results.items() if name != "valid" and count]
    if summary.compared is not None:
        rows += [("compared with reference", str(summary.compared)),
                 ("tool_call_precision", _percent(summary.tool_call_precision)),
                 ("tool_call_recall", _percent(summary.tool_call_recall)),
                 ("tool_call_f1", _percent(summary.tool_call_f1))]
    rows.append(("tokens", f"{summary.prompt_tokens} prompt, {summary.completion_tokens} completion"))
    if summary.stopped_by is not None:
        rows.append(("stopped by", f"--{summary.stopped_by.replace('_', '-')}"))
    return f"{provider} ({model})\n" + "".join(f"  {name:<32}{value}\n" for name, value in rows)


def _load(args: argparse.Namespace, streams: Streams) -> tuple[Config, str, Provider] | None:
    from kimicheck.probe.runner import select_providers

    apply_catalog(args, streams)
    name, given = provider_and_config(args.provider, args.config)
    path = config_path(given, streams.environ)
    config = load_checked_config(path, streams, command="verify", action="verifying")
    if config is None:
        return None
    if name is None:
        raise UsageError(f"name the provider to verify: kimicheck verify PROVIDER {path} --samples FILE")
    [provider] = select_providers(config, [name])
    return config, path, provider


async def _run(args: argparse.Namespace, streams: Streams, loaded: tuple[Config, str, Provider],
               samples: list[Sample], output: TextIO | None, records: list[Record]) -> str | None:
    from kimicheck.probe.http import build_client
    from kimicheck.probe.verify import SpendCaps, run_samples
    from kimicheck.secrets import KeyUnavailable, read_key

    config, path, provider = loaded
    model = _pick_model(provider, args.model)
    try:
        key = read_key(provider.api_key_env, provider.api_key_file, streams.environ, Path(path).parent)
    except KeyUnavailable as problem:
        raise InputError(f"{provider.name}: {problem}") from None
    done = {record.index for record in records}
    progress = _Progress(streams.stderr, len(samples), len(done))

    def keep(record: Record) -> None:
        records.append(record)
        if output is not None:
            output.write(record.line())
            output.flush()
        progress.advance()

    try:
        async with build_client(max_connections=args.concurrency, environ=streams.environ) as client:
            return await run_samples(
                client, provider, model, key, [s for s in samples if s.index not in done], keep,
                timeout=args.timeout or config.effective_timeout(provider), concurrency=args.concurrency,
                caps=SpendCaps(args.max_requests, args.max_tokens),
            )
    finally:
        progress.close()


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Send the samples, print the summary and return the exit code."""
    from kimicheck.probe.verify_samples import parse_reference, parse_samples, read_lines_file
    from kimicheck.probe.verify_summary import summarize

    loaded = _load(args, streams)
    if loaded is None:
        return EXIT_USAGE
    samples = parse_samples(read_lines_file(Path(args.samples), "samples"), args.samples)
    reference = None
    if args.reference is not None:
        reference = parse_reference(read_lines_file(Path(args.reference), "reference"), args.reference)
    _pick_model(loaded[2], args.model)
    output, records = _open_output(args)
    try:
        stopped_by = asyncio.run(_run(args, streams, loaded, samples, output, records))
    finally:
        if output is not None:
            output.close()
    summary = summarize(records, len(samples), reference=reference, stopped_by=stopped_by)
    if args.format == "json":
        document = {"provider": loaded[2].name, "model": _pick_model(loaded[2], args.model).id, **summary.document()}
        streams.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        streams.stdout.write(render_text(summary, loaded[2].name, _pick_model(loaded[2], args.model).id))
    accuracy = summary.schema_accuracy
    failed = summary.errors or accuracy is None or accuracy < args.min_schema_accuracy
    return EXIT_FAILURE if failed else EXIT_OK
