"""`kimicheck verify`'s pure parts: the judge of a whole answer, the records read back, the metrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kimicheck.commands.verify import render_text
from kimicheck.errors import InputError
from kimicheck.probe.toolcalls import Tool, ToolCallResult
from kimicheck.probe.verify import judge_answer
from kimicheck.probe.verify_samples import MAX_LINE_BYTES, parse_reference, parse_samples
from kimicheck.probe.verify_summary import Record, parse_record, summarize

CITY = Tool("city", {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]})
README = Path(__file__).resolve().parents[2] / "README.md"


def call(name: str, arguments: str) -> dict[str, object]:
    return {"type": "function", "function": {"name": name, "arguments": arguments}}


@pytest.mark.parametrize(("calls", "result"), [
    ([call("city", '{"name": "Oslo"}'), call("city", '{"name": "Rome"}')], ToolCallResult.VALID),
    ([call("city", '{"name": "Oslo"}'), call("city", "{}")], ToolCallResult.SCHEMA_MISMATCH),
    ([call("city", '{"name": "Oslo"}'), call("town", "{}")], ToolCallResult.WRONG_FUNCTION),
    ([call("city", "{oops")], ToolCallResult.INVALID_JSON),
    ([], ToolCallResult.MISSING),
])
def test_every_call_of_an_answer_must_be_valid(calls: list[object], result: ToolCallResult) -> None:
    assert judge_answer({"tool_calls": calls}, "tool_calls", [CITY]).result is result


def test_a_ref_that_is_not_in_the_schema_is_a_mismatch_not_a_crash() -> None:
    tool = Tool("f", {"$ref": "https://example.invalid/schema.json"})
    verdict = judge_answer({"tool_calls": [call("f", "{}")]}, "tool_calls", [tool])
    assert verdict.result is ToolCallResult.SCHEMA_MISMATCH and "$ref" in verdict.detail


def test_a_line_over_the_cap_is_a_file_line_error() -> None:
    with pytest.raises(InputError, match=r"^s.jsonl:2: line is longer than 1 MiB$"):
        parse_samples(b"\n" + b" " * (MAX_LINE_BYTES + 1) + b"1\n", "s.jsonl")


def test_reference_lines_of_either_form() -> None:
    data = (b'{"index": 0, "finish_reason": "tool_calls"}\n'
            b'{"data_index": 1, "response": {"choices": [{"finish_reason": "stop"}]}}\n')
    assert parse_reference(data, "r") == {0: "tool_calls", 1: "stop"}
    with pytest.raises(InputError, match=r"^r:1: a reference line needs"):
        parse_reference(b'{"index": true}', "r")


def test_records_round_trip_and_foreign_lines_are_refused() -> None:
    record = Record(3, "tool_calls", "schema_mismatch", "x", 10, 5)
    assert parse_record(json.loads(record.line())) == record
    for value in ({"index": -1}, {"index": 1, "tool_call": "great"}, {"index": 1, "prompt_tokens": "9"}, [1]):
        assert parse_record(value) is None


def test_the_latest_record_of_an_index_counts_and_errors_count_in_no_metric() -> None:
    records = [Record(0, error="timeout"), Record(0, "tool_calls", "valid"), Record(1, "stop"), Record(2, error="x")]
    summary = summarize(records, 4)
    assert (summary.answered, summary.errors, summary.not_sent) == (2, 1, 1)
    assert (summary.count_finish_reason_tool_calls, summary.count_successful_tool_call) == (1, 1)
    assert summarize([Record(0, "stop")], 1).schema_accuracy is None


def test_the_readme_example_is_what_the_command_prints() -> None:
    records = [Record(i, "tool_calls", "valid" if i < 181 else "schema_mismatch", "", 49, 32) for i in range(200)]
    assert render_text(summarize(records, 200), "moonshot", "kimi-k2.6") in README.read_text(encoding="utf-8")
