"""Comments as the evidence pack prints them (issue 18), read back from the PDF with pdftotext:
text-reversing (bidi) controls do not reorder a comment, and Japanese text prints (a font with wide
coverage, Debian's fonts-noto-cjk, is named and installed by .ci/run) rather than empty boxes."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from lis_data import feedback
from lis_data.feedback.validation import Submission
from lis_data.pack import build_pack
from synthetic_source import WOKING

BIDI = "Typed ABC\u202eXYZ123\u202c DEF in order"
JAPANESE = "駅の近くに手頃な住宅が足りません"
EMOJI = "Starter homes 🏠 near the station please 🙂"
NO_FONTS = "fonts-noto-cjk / fonts-noto-color-emoji not installed (.ci/run installs them)"


def _text(pdf_path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True,
                         timeout=60).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", out)


def _families(pattern: str) -> set[str]:
    """Font families fontconfig lists for a pattern (":lang=ja", ":charset=1f642")."""
    if not shutil.which("fc-list"):
        return set()
    out = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True, timeout=30).stdout
    return {f.strip() for line in out.splitlines() for f in line.split(",") if f.strip()}


@pytest.fixture(scope="module")
def comments_pack(tmp_path_factory, store, poppler):
    tmp = tmp_path_factory.mktemp("pack-comments")
    url = f"sqlite://{tmp / 'feedback.sqlite'}"
    with feedback.open_store(url) as fb:
        for i, text in enumerate((BIDI, JAPANESE, EMOJI)):
            fb.append(Submission(priority="housing", respondent_type="resident", places=(WOKING,), comment=text,
                                 submission_key=f"pack-comment-{i}"))
    path = tmp / "comments.pdf"
    path.write_bytes(build_pack(store, WOKING, ["housing"], feedback_url=url, full=True))  # the board pack holds no comments
    return path


def test_bidi_controls_do_not_reorder_a_comment_in_the_pack(comments_pack):
    text = _text(comments_pack)
    assert "321ZYX" not in text, "the right-to-left override was obeyed"
    assert re.search(r"Typed ABC\S*\s?XYZ123\S*\s?DEF in order", text), text[-2000:]


def test_japanese_and_emoji_comments_read_back_from_the_pack(comments_pack):
    from lis_data.pack.document import CSS

    japanese, emoji = _families(":lang=ja"), _families(":charset=1f642")
    if not (japanese and emoji):
        pytest.skip(NO_FONTS)
    # The pack names a font of each kind that is installed, not only whatever fontconfig falls back to.
    font_family = CSS[CSS.index("font-family"):].split(";")[0]
    assert any(f'"{f}"' in font_family for f in japanese), (font_family, japanese)
    assert any(f'"{f}"' in font_family for f in emoji), (font_family, emoji)
    text = _text(comments_pack)
    assert JAPANESE in text.replace(" ", "")
    assert "🏠" in text and "🙂" in text
    fonts = subprocess.run(["pdffonts", str(comments_pack)], capture_output=True, text=True, timeout=60).stdout
    assert "CJK" in fonts and "Emoji" in fonts, fonts
