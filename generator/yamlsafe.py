"""A safe YAML reader that remembers the line of every key and refuses hostile input.

Why our own loader: editors need `file:line: key` in every message (PyYAML forgets
positions), duplicate keys must be an error (PyYAML keeps the last silently), an alias
bomb must not exhaust memory, and a date such as 2024-02-30 must reach the validator as
text instead of crashing inside PyYAML's timestamp constructor.
"""

from __future__ import annotations

import re

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent

try:  # the C parser is much faster on 10,000 files; the constructor stays in Python
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _BaseLoader

MAX_DEPTH = 32
MAX_NODES = 20_000


class YamlProblem(Exception):
    """A YAML error with a 1-based line and a Vietnamese message."""

    def __init__(self, line: int, message: str, key: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.key = key


class LineDict(dict):
    """A mapping that knows the line of each of its keys (`lines`) and its own `line`."""

    line: int = 0
    lines: dict

    def line_of(self, key, default: int | None = None) -> int:
        return self.lines.get(key, self.line if default is None else default)


class LineList(list):
    """A sequence that knows the line of each item (`lines`) and its own `line`."""

    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class DuplicateKey(YamlProblem):
    pass


class _PositionLoader(_BaseLoader):
    """SafeLoader that builds LineDict/LineList and records duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_yaml_map(self, node):
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.lines = {}
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise YamlProblem(key_node.start_mark.line + 1, "tên khóa phải là một chữ, không phải danh sách")
            if isinstance(key, str):
                pass
            else:
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in data:
                self.duplicates.append((line, key))
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = line

    def construct_yaml_seq(self, node):
        data = LineList()
        data.line = node.start_mark.line + 1
        data.lines = [child.start_mark.line + 1 for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader.construct_yaml_map)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader.construct_yaml_seq)
# Dates are the schema's business, not YAML's: keep them as text.
_PositionLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _PositionLoader.yaml_implicit_resolvers.items()
}


def _construct_timestamp_as_text(loader, node):
    return loader.construct_scalar(node)


_PositionLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def _describe(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return "có ký tự điều khiển không in được — hãy xóa nó"
    problem = getattr(error, "problem", None) or ""
    known = {
        "found character '\\t' that cannot start any token": "có ký tự Tab — YAML chỉ dùng dấu cách để thụt lề",
        "mapping values are not allowed": "dấu hai chấm ':' đặt sai chỗ — nếu giá trị có dấu ':', hãy đặt nó trong ngoặc kép",
        "could not find expected ':'": "thiếu dấu hai chấm ':' sau tên khóa",
        "found unexpected end of stream": "khai báo kết thúc giữa chừng — có dấu ngoặc hoặc ngoặc kép chưa đóng",
        "found unknown escape character": "ký tự thoát '\\' không hợp lệ trong chuỗi ngoặc kép",
        "found undefined alias": "không dùng bí danh YAML (*)",
    }
    for english, vietnamese in known.items():
        if english in problem:
            return vietnamese
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "thụt lề hoặc dấu gạch đầu dòng '-' không khớp với dòng trên"
    if "special characters are not allowed" in problem or "non-printable" in problem:
        return "có ký tự điều khiển không in được — hãy xóa nó"
    if "could not determine a constructor" in problem:
        return "thẻ YAML (!) không được hỗ trợ — hãy bỏ thẻ"
    return f"cú pháp YAML không hợp lệ ({problem or error.__class__.__name__})"


_KEY_RE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:")


def _key_on_line(text: str, line: int) -> str:
    """The key written on a 1-based line, so syntax errors still name a key."""
    lines = text.split("\n")
    match = _KEY_RE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    return match.group(1) if match else ""


def _locate_common_mistake(text: str, problem_line: int) -> tuple[int, str] | None:
    """Find the line an editor must fix for the two commonest mistakes.

    A missing closing quote makes YAML fail lines later; a Tab fails where it stands.
    """
    lines = text.split("\n")[: problem_line + 1]
    for index, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        if line.replace('\\"', "").count('"') % 2 == 1:
            return index + 1, 'thiếu dấu ngoặc kép đóng (") ở cuối giá trị'
        if re.search(r"(?::|^\s*-)\s+'", line) and line.count("'") % 2 == 1:
            return index + 1, "thiếu dấu nháy đơn đóng (') ở cuối giá trị"
    if problem_line < len(lines) and "\t" in lines[problem_line]:
        return problem_line + 1, "có ký tự Tab — YAML chỉ dùng dấu cách để thụt lề"
    return None


def _scan_events(text: str, max_nodes: int = MAX_NODES) -> None:
    """Walk the event stream (iterative, in C) before composing any node.

    Composition recurses per nesting level and resolves aliases, so hostile input is
    refused here first: no anchors or aliases at all (editors never need them and they
    are how alias bombs are built), a bounded depth and a bounded number of values.
    """
    scanner = _BaseLoader(text)
    depth = nodes = 0
    try:
        while scanner.check_event():
            event = scanner.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
                raise YamlProblem(line, "không dùng neo/bí danh YAML (& và *) trong khai báo — hãy viết đầy đủ giá trị")
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(line, f"khai báo lồng nhau quá sâu (quá {MAX_DEPTH} cấp)")
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if isinstance(event, NodeEvent):
                nodes += 1
                if nodes > max_nodes:
                    raise YamlProblem(line, f"khai báo quá lớn (quá {max_nodes} giá trị)")
    finally:
        scanner.dispose()


def parse_yaml(text: str, first_line: int = 1, max_nodes: int = MAX_NODES):
    """Parse YAML text; return (data, duplicates) or raise YamlProblem.

    `first_line` is the file line of the first line of `text`, so that front matter
    errors point at the right line of the Markdown file. `max_nodes` bounds the values
    read; only the places registry (one generated file of a whole province) needs more.
    """
    offset = first_line - 1
    loader = None
    try:
        _scan_events(text, max_nodes)
        loader = _PositionLoader(text)
        data = loader.get_single_data()
    except YamlProblem as problem:
        problem.line += offset
        raise
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if mark:
            line = mark.line + 1
            hint = _locate_common_mistake(text, mark.line)
            if hint:
                raise YamlProblem(hint[0] + offset, hint[1], _key_on_line(text, hint[0])) from None
        elif isinstance(getattr(error, "position", None), int):
            line = text.count("\n", 0, error.position) + 1
        else:
            line = 1
        raise YamlProblem(line + offset, _describe(error), _key_on_line(text, line)) from None
    except RecursionError:
        raise YamlProblem(first_line, "khai báo lồng nhau quá sâu") from None
    finally:
        if loader is not None:
            loader.dispose()
    _shift_lines(data, offset)
    return data, [(line + offset, key) for line, key in loader.duplicates]


def _shift_lines(data, offset: int) -> None:
    if not offset:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, LineDict):
            item.line += offset
            item.lines = {k: v + offset for k, v in item.lines.items()}
            stack.extend(item.values())
        elif isinstance(item, LineList):
            item.line += offset
            item.lines = [v + offset for v in item.lines]
            stack.extend(item)


__all__ = ["LineDict", "LineList", "YamlProblem", "parse_yaml"]
