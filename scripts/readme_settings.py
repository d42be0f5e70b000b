"""Render the README's settings table from lis_data/config/settings.toml.

    python3 scripts/readme_settings.py           # print the table
    python3 scripts/readme_settings.py --write   # put it into README.md, between its markers
    python3 scripts/readme_settings.py --check   # exit 1 if README.md's table is not current
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lis_data.config.settings import BEGIN, END, load_settings, markdown_table  # noqa: E402

README = ROOT / "README.md"


def current_table(readme: str) -> str:
    """The generated part of README.md, markers included ('' when the markers are missing)."""
    if BEGIN not in readme or END not in readme:
        return ""
    return readme[readme.index(BEGIN):readme.index(END) + len(END)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    table = markdown_table(load_settings())
    readme = README.read_text(encoding="utf-8")
    if args.check:
        ok = current_table(readme) == table
        print("README settings table is current" if ok else "README settings table is out of date: run "
              "python3 scripts/readme_settings.py --write")
        return 0 if ok else 1
    if args.write:
        old = current_table(readme)
        if not old:
            print("README.md has no settings table markers", file=sys.stderr)
            return 1
        README.write_text(readme.replace(old, table), encoding="utf-8")
        return 0
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
