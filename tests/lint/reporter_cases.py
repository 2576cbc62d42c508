"""Hand-made file reports the reporter tests render: every case a reporter must get right."""

from __future__ import annotations

from kimicheck.lint.finding import FileReport, Finding, Severity

FAKE_KEY = "sk-test-" + "a1" * 12

BAD_TEXT = (
    "version: 1\n"
    "providers:\n"
    "  - name: kimi-intl\n"
    "    kind: moonshot\n"
    "    base_url: https://api.moonshot.ai/v1/chat/completions\n"
    "    api_key_evn: MOONSHOT_API_KEY\n"
    "    models: [\"kimi\u2011k2.6\"]\n"
    f"    # old key {FAKE_KEY}\n"
    "    timeout:\t15s\n"
)


def _finding(line: int, column: int, end_line: int, end_column: int, rule: str, name: str, severity: Severity,
             message: str, hint: str = "", path: str = "configs/bad config.yaml") -> Finding:
    return Finding(path, line, column, end_line, end_column, rule, name, severity, message, hint)


BAD = FileReport(
    path="configs/bad config.yaml",
    text=BAD_TEXT,
    findings=(
        _finding(5, 15, 5, 58, "KC020", "endpoint-in-base-url", Severity.ERROR,
                 "base_url ends in the endpoint path /chat/completions: the OpenAI SDK would call "
                 "https://api.moonshot.ai/v1/chat/completions/chat/completions",
                 "use base_url: https://api.moonshot.ai/v1"),
        _finding(6, 5, 6, 16, "KC003", "unknown-key", Severity.ERROR,
                 "unknown key 'api_key_evn'", "did you mean 'api_key_env'?"),
        _finding(7, 14, 7, 25, "KC030", "lookalike-in-model-id", Severity.ERROR,
                 "model id contains U+2011 NON-BREAKING HYPHEN at position 5", "write kimi-k2.6"),
        _finding(8, 15, 8, 47, "KC040", "secret-in-file", Severity.ERROR,
                 "the file contains what looks like an API key (sk-[REDACTED])",
                 "remove it and rotate the key"),
        _finding(9, 14, 10, 1, "KC050", "timeout-not-below-interval", Severity.WARNING,
                 "timeout 15s: comma, colon: and 100% are escaped\nin github"),
    ),
)

#: a file the loader could not read: no text to quote
BINARY = FileReport(
    path="blob.yaml",
    text="",
    findings=(
        _finding(1, 1, 1, 2, "KC007", "unreadable-file", Severity.ERROR,
                 "the file is not UTF-8 text (byte 0xff at offset 0)", "check the path", path="blob.yaml"),
    ),
)

CLEAN = FileReport(path="configs/example.yaml", text="version: 1\n", findings=())

#: wide characters before the column, and a line longer than the terminal
WIDE = FileReport(
    path="wide.yaml",
    text="name: ｋｉｍｉ-x\n" + "models: [" + ", ".join(f"m{i:03d}" for i in range(60)) + ", bad]\n",
    findings=(
        _finding(1, 11, 1, 12, "KC030", "lookalike-in-model-id", Severity.ERROR, "full-width", path="wide.yaml"),
        _finding(2, 370, 2, 373, "KC004", "invalid-value", Severity.WARNING, "far right", path="wide.yaml"),
    ),
)

ALL = (BAD, BINARY, CLEAN)
