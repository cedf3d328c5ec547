"""Every wide table stacks as cards on a phone (docs/decisions/0028): a table of four or more
columns has class table-stacked, and each of its cells names its column in data-label, so no
column ends up off the side of a 360-pixel screen. The browser tests check how they look."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
WIDE = 4


def _tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for table in re.finditer(r"<table(.*?)>(.*?)</table>", path.read_text(), re.S):
            yield path.relative_to(TEMPLATES), table.group(1), table.group(2)


def _column_names(body: str) -> list[str]:
    head = body[: body.find("</thead>")]
    names = []
    for cell in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head, re.S):
        text = re.sub(r'<span class="visually-hidden">.*?</span>', "", cell, flags=re.S)
        text = re.sub(r"<[^>]+>|{%.*?%}", "", text)
        names.append(" ".join(text.split()))
    return names


def test_every_wide_table_stacks_on_a_phone_with_each_cell_named_by_its_column():
    problems = []
    wide = 0
    for path, attributes, body in _tables():
        names = _column_names(body)
        if len(names) < WIDE:
            continue
        wide += 1
        if "table-stacked" not in attributes:
            problems.append(f"{path}: a table of {len(names)} columns without table-stacked")
        body_rows = body[body.find("</thead>") :]
        for row in re.split(r"(?=<tr)", body_rows):
            cells = [cell for cell in re.findall(r"<td\b[^>]*>", row) if "colspan" not in cell]
            for cell, name in zip(cells, names, strict=False):
                if name and f'data-label="{name}"' not in cell:
                    problems.append(f'{path}: {cell} should have data-label="{name}"')

    assert wide >= 15, f"only {wide} wide tables found: is the pattern out of date?"
    assert not problems, "\n".join(problems)


def test_registration_numbers_on_pages_are_kept_whole():
    shown = re.compile(r"\{\{ [a-z_.]*registration_number \}\}")
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "{% block title" in line or "visually-hidden" in line:
                continue
            for found in shown.finditer(line):
                before = line[: found.start()]
                in_an_attribute = before[before.rfind(">") + 1 :].count('"') % 2 == 1
                if not in_an_attribute and not before.endswith('registration-number">'):
                    problems.append(f"{path}:{number}: {found.group(0)}")

    assert not problems, "registration numbers outside .registration-number:\n" + "\n".join(
        problems
    )
