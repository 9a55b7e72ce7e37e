"""What a citizen sees in lists and labels, on inline content trees (pure render, no mkdocs).

- every list (listings, district pages, the place index, the book's contents and index,
  `dvk stats`) is in Vietnamese collation: digits first, Đ after D, Ư after U, Ơ after O;
- awarded entries come first within a group (level, then rank), and a district page
  never hides a first prize behind "Xem tất cả";
- event figures show their Vietnamese label, never their key;
- illustrative pictures say "Ảnh minh họa".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.book.layout import lay_out
from generator.book.select import Selection
from generator.derive import derive_site
from generator.render import RenderOptions, render_site
from generator.stats import collect_tables
from generator.validate import validate_content

PLACES = """\
districts:
  - {id: ung-hoa, name: Ứng Hòa, type: huyện}
  - {id: dong-da, name: Đống Đa, type: quận}
  - {id: ba-vi, name: Ba Vì, type: huyện}
  - {id: dan-phuong, name: Đan Phượng, type: huyện}
  - {id: uy-no, name: Uy Nỗ, type: huyện}
  - {id: o-dien, name: Ô Diên, type: huyện}
  - {id: oa-lua, name: Oa Lửa, type: huyện}
  - {id: duong-xa, name: Dương Xá, type: huyện}
wards:
  - {id: ong-ich-khiem, name: Ông Ích Khiêm, type: phường, district: dong-da}
  - {id: o-cho-dua, name: Ô Chợ Dừa, type: phường, district: dong-da}
  - {id: dong-nhan, name: Đồng Nhân, type: phường, district: dong-da}
  - {id: dich-vong, name: Dịch Vọng, type: phường, district: dong-da}
"""

# Titles given in scrambled order; the expected reading order is below.
TITLES = ["Ưu tiên người cao tuổi", "An toàn giao thông", "30 phút vì dân", "Đường hoa", "Ông bụt",
          "Dòng sông xanh", "10 công trình vì dân", "Ơn nghĩa", "Uy tín", "2 bước một cửa", "Ăn sạch"]
IN_ORDER = ["2 bước một cửa", "10 công trình vì dân", "30 phút vì dân", "An toàn giao thông", "Ăn sạch",
            "Dòng sông xanh", "Đường hoa", "Ông bụt", "Ơn nghĩa", "Uy tín", "Ưu tiên người cao tuổi"]


def _model(title: str, place: str, ward: str = "", awards: str = "", year: int = 2024, field: str = "kinh-te", unit: str = "") -> str:
    ward_line = f"ward: {ward}\n" if ward else ""
    return (
        f'---\nkind: model\ntitle: "{title}"\nunit: "{unit or "UBND " + title}"\ndistrict: {place}\n{ward_line}'
        f'field: {field}\nlevel: co-so\nyear: {year}\nsummary: "Tóm tắt {title}."\n{awards}---\nNội dung.\n'
    )


def _award(title: str, level: str, rank: str = "") -> str:
    rank_line = f"    rank: {rank}\n" if rank else ""
    return f'  - title: "{title}"\n    level: {level}\n    year: 2024\n{rank_line}'


def _write(root: Path, files: dict[str, str]) -> Path:
    content = root / "content"
    for name, text in {"places.yml": PLACES, **files}.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def _site(content: Path):
    result = validate_content(content.parent, content)
    assert not result.errors, [p.format() for p in result.errors]
    return derive_site(result.entries, result.places)


def _titles(markdown: str) -> list[str]:
    return re.findall(r'class="dvk-card__title"><a [^>]+>([^<]+)</a>', markdown)


def _page(result, path: str):
    return next(p for p in result.pages if p.path == path)


@pytest.fixture(scope="module")
def collated(tmp_path_factory):
    """Eleven unawarded models of one year, field and district, plus one in each other district."""
    root = tmp_path_factory.mktemp("collation")
    wards = ["ong-ich-khiem", "o-cho-dua", "dong-nhan", "dich-vong"]
    files = {f"models/m{i}.md": _model(t, "dong-da", wards[i % len(wards)]) for i, t in enumerate(TITLES)}
    others = ["ung-hoa", "ba-vi", "dan-phuong", "uy-no", "o-dien", "oa-lua", "duong-xa"]
    files.update({f"models/o{i}.md": _model(f"Mô hình {i}", d, field="van-hoa-xa-hoi") for i, d in enumerate(others)})
    return _site(_write(root, files))


def test_listing_pages_are_in_vietnamese_order(collated):
    result = render_site(collated, RenderOptions(search=False, preview=20))
    assert _titles(_page(result, "linh-vuc/kinh-te/").markdown) == IN_ORDER
    assert [t for t in _titles(_page(result, "nam/2024/").markdown) if t in IN_ORDER] == IN_ORDER
    district = _page(result, "quan-huyen/dong-da/").markdown
    assert _titles(district) == IN_ORDER  # one field group, every card shown (preview 20)


def test_place_index_and_district_wards_are_in_vietnamese_order(collated):
    result = render_site(collated, RenderOptions(search=False))
    text = _page(result, "dia-ban/").markdown
    districts = re.findall(r'<span class="dvk-district-name">([^<]+)</span>', text)
    assert districts == ["Huyện Ba Vì", "Huyện Dương Xá", "Huyện Đan Phượng", "Quận Đống Đa", "Huyện Oa Lửa", "Huyện Ô Diên", "Huyện Uy Nỗ", "Huyện Ứng Hòa"]
    wards = re.findall(r">phường ([^<]+)</a>", _page(result, "quan-huyen/dong-da/").markdown)
    assert wards == ["Dịch Vọng", "Đồng Nhân", "Ô Chợ Dừa", "Ông Ích Khiêm"]


def test_book_contents_and_index_are_in_vietnamese_order(collated):
    book = lay_out(Selection(models=list(collated.models)), collated.places, "district")
    chapter_titles = [c.title for c in book.chapters]
    assert chapter_titles == ["Huyện Ba Vì", "Huyện Dương Xá", "Huyện Đan Phượng", "Quận Đống Đa", "Huyện Oa Lửa", "Huyện Ô Diên", "Huyện Uy Nỗ", "Huyện Ứng Hòa"]
    dong_da = next(c for c in book.chapters if c.title == "Quận Đống Đa")
    assert [s.entry.title for g in dong_da.groups for s in g.sections] == IN_ORDER
    units = [item.name for letter in book.index[0].letters for item in letter.items]
    assert [u for u in units if not u.startswith("UBND Mô hình")] == ["UBND " + t for t in IN_ORDER]


def test_stats_list_districts_in_vietnamese_order(collated):
    table = next(t for t in collect_tables(collated) if t.id == "dia-ban-linh-vuc")
    rows = [row[0] for row in table.rows]
    assert rows == ["Huyện Ba Vì", "Huyện Dương Xá", "Huyện Đan Phượng", "Quận Đống Đa", "Huyện Oa Lửa", "Huyện Ô Diên", "Huyện Uy Nỗ", "Huyện Ứng Hòa"]


# -- awarded entries first ---------------------------------------------------------------


@pytest.fixture(scope="module")
def awarded(tmp_path_factory):
    root = tmp_path_factory.mktemp("awarded")
    files = {
        "models/a.md": _model("A không khen", "dong-da", year=2025),
        "models/b.md": _model("B giải Nhất cấp quận", "dong-da", awards="awards:\n" + _award("Giải Nhất Hội thi quận", "quan", "nhat"), year=2022),
        "models/c.md": _model("C bằng khen Thành phố", "dong-da", awards="awards:\n" + _award("Bằng khen UBND Thành phố", "thanh-pho"), year=2021),
        "models/d.md": _model("D giải Ba cấp quận", "dong-da", awards="awards:\n" + _award("Giải Ba Hội thi quận", "quan", "ba"), year=2024),
        "models/e.md": _model("E giải Nhì cấp quận", "dong-da", awards="awards:\n" + _award("Giấy khen", "co-so") + _award("Giải Nhì Hội thi quận", "quan", "nhi"), year=2023),
        "models/f.md": _model("F giấy khen cơ sở", "dong-da", awards="awards:\n" + _award("Giấy khen phường", "co-so"), year=2025),
        "models/g.md": _model("G không khen", "dong-da", year=2024),
    }
    return _site(_write(root, files))


AWARD_ORDER = ["C bằng khen Thành phố", "B giải Nhất cấp quận", "E giải Nhì cấp quận", "D giải Ba cấp quận", "F giấy khen cơ sở", "A không khen", "G không khen"]


def test_listings_put_awarded_entries_first_by_level_then_rank(awarded):
    result = render_site(awarded, RenderOptions(search=False, preview=20))
    assert _titles(_page(result, "linh-vuc/kinh-te/").markdown) == AWARD_ORDER
    assert _titles(_page(result, "cap/co-so/").markdown) == AWARD_ORDER
    # unawarded entries keep the usual order: newest first
    assert AWARD_ORDER[-2:] == ["A không khen", "G không khen"]


def test_cards_name_the_award_that_placed_them(awarded):
    result = render_site(awarded, RenderOptions(search=False, preview=20))
    text = _page(result, "linh-vuc/kinh-te/").markdown
    assert '<p class="dvk-card__award">Giải Nhì Hội thi quận (2024)</p>' in text  # the rank, not repeated
    assert '<p class="dvk-card__award">Bằng khen UBND Thành phố (2024)</p>' in text


def test_district_page_never_hides_a_first_prize(awarded):
    result = render_site(awarded, RenderOptions(search=False, preview=1))
    text = _page(result, "quan-huyen/dong-da/").markdown
    top, groups = text.split("## Kinh tế", 1)
    assert "Khen thưởng cao nhất" in top
    assert _titles(top) == ["C bằng khen Thành phố", "B giải Nhất cấp quận"]
    assert _titles(groups) == ["C bằng khen Thành phố", "B giải Nhất cấp quận"]  # preview 1 + the first prize
    assert "Xem tất cả 7 mục" in groups


# -- figures and illustrative images -----------------------------------------------------

EVENT = """\
---
title: "Hội thi mẫu"
type: hoi-thi
date: 2024-07-31
district: dong-da
organizer: "Quận ủy Đống Đa"
summary: "Tóm tắt."
figures:
  doi_du_thi: 10
  ho_nhan_qua: {label: "Hộ gia đình nhận quà", value: 1200}
  phan_thi: {label: "Phần thi sân khấu", value: 3}
---
Nội dung.
"""


def test_event_figures_show_vietnamese_labels_never_keys(tmp_path):
    site = _site(_write(tmp_path, {"events/hoi-thi-mau.md": EVENT, "models/a.md": _model("A", "dong-da")}))
    text = _page(render_site(site, RenderOptions(search=False)), "su-kien/hoi-thi-mau/").markdown
    assert "Đội dự thi" in text and "Hộ gia đình nhận quà" in text and "1.200" in text
    assert "Phần thi sân khấu" in text  # an explicit label wins over the vocabulary's
    for key in ("doi_du_thi", "ho_nhan_qua", "phan_thi"):
        unmarked = key.replace("_", " ")  # "ho nhan qua": the key shown with its marks lost
        assert key not in text and unmarked not in text.lower()


def test_illustrative_pictures_are_never_called_photos(tmp_path):
    from PIL import Image as Pil

    content = _write(tmp_path, {"models/a.md": _model("A", "dong-da", awards="awards:\n" + _award("Giải Nhất", "quan", "nhat") + "    image: anh/gk.png\n    illustrative: true\n    caption: \"Giấy khen (bản vẽ)\"\n    credit: \"Minh họa: nhóm dvk\"\n")})
    (content / "models" / "anh").mkdir()
    Pil.new("RGB", (40, 30), (200, 30, 30)).save(content / "models" / "anh" / "gk.png")
    site = _site(content)
    award = site.awards[0].award
    assert award.image.caption == "Giấy khen (bản vẽ)" and award.image.illustrative
    assert award.image.credit_line == "Ảnh minh họa · Minh họa: nhóm dvk"
    result = render_site(site, RenderOptions(search=False))
    awards_page = _page(result, "khen-thuong/").markdown
    assert "ảnh chụp" not in awards_page.lower()


def test_award_line_names_the_rank_once():
    from generator.model import Award
    from generator.render.env import award_line
    from generator.vocab import LEVELS, RANKS

    plain = Award("Giấy khen của Quận ủy", LEVELS.get("quan"), 2024, rank=RANKS.get("nhi"))
    assert award_line(plain) == "Giải Nhì · Giấy khen của Quận ủy (2024)"
    named = Award("Giải Nhì Hội thi quận", LEVELS.get("quan"), 2024, rank=RANKS.get("nhi"))
    assert award_line(named) == "Giải Nhì Hội thi quận (2024)"
