"""Generate a valid corpus of N entries for build benchmarks and search-size measurements.

    python bench/make_corpus.py N OUT_DIR

OUT_DIR becomes a project root: OUT_DIR/content/places.yml (a copy of the repository's)
and OUT_DIR/content/{models,events}/<district>/<id>.md. Entries vary district, ward
(pre-2025 wards with their district, post-2025 wards alone), field, level, kind and
year, with Vietnamese titles, awards, related links and contest results, so that every
page family of the site is exercised. Deterministic for a given N (seeded).
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.places import load_places  # noqa: E402
from generator.vocab import EVENT_TYPES, FIELDS, LEVELS, RANKS  # noqa: E402

TOPICS = [
    "Ngày thứ bảy tình nguyện", "Tổ tự quản khu dân cư an toàn", "Chợ văn minh, an toàn thực phẩm",
    "Bữa cơm nghĩa tình", "Tuyến phố văn minh", "Vườn rau sạch của hội phụ nữ", "Camera an ninh cộng đồng",
    "Đối thoại với nhân dân", "Thủ tục hành chính không giấy hẹn", "Nhóm Zalo kết nối cư dân",
    "Hòa giải ở cơ sở", "Phân loại rác tại nguồn", "Sân chơi cho thiếu nhi", "Khuyến học dòng họ",
    "Nhà văn hóa thân thiện", "Hiến đất mở đường", "Tủ sách cộng đồng", "Dân vận khéo trong giải phóng mặt bằng",
    "Chăm lo người cao tuổi", "Đỡ đầu trẻ mồ côi", "Điểm sáng vệ sinh môi trường", "Phòng cháy, chữa cháy gia đình",
    "Khởi nghiệp của thanh niên", "Hợp tác xã rau an toàn", "Làng nghề gắn với du lịch", "Thu gom dầu ăn thải",
    "Mái ấm công đoàn", "Tiếp sức mùa thi", "Cựu chiến binh giúp nhau làm kinh tế", "Gia đình văn hóa tiêu biểu",
]
UNITS = ["UBND", "Đảng ủy", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Cựu chiến binh", "Mặt trận Tổ quốc", "Công an", "Tổ dân phố số 3 của"]
PEOPLE = ["Nguyễn Thị Hằng", "Trần Văn Đức", "Lê Thị Thủy", "Phạm Văn Đông", "Hoàng Thị Hòa", "Đỗ Văn Định", "Vũ Thị Lan", "Bùi Văn Sơn"]
SENTENCES = [
    "Cán bộ đến từng hộ gia đình, lắng nghe ý kiến và giải thích rõ chủ trương.",
    "Người dân được bàn bạc công khai, tự nguyện đóng góp công sức và kinh phí.",
    "Sau một năm, khu dân cư sạch đẹp hơn và các vụ việc mâu thuẫn giảm rõ rệt.",
    "Mô hình được Ban Dân vận ghi nhận và đề nghị nhân rộng ra các địa bàn khác.",
    "Các đoàn thể phối hợp chặt chẽ, phân công rõ người, rõ việc, rõ thời gian.",
    "Nhiều gia đình khó khăn được hỗ trợ sinh kế, ổn định cuộc sống.",
    "Hội nghị sơ kết đánh giá cao cách làm sáng tạo, gần dân, hiểu dân.",
    "Đường làng, ngõ xóm được chỉnh trang, thắp sáng và trồng thêm cây xanh.",
]


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[1].isdigit():
        print("Cách dùng: python bench/make_corpus.py N OUT_DIR", file=sys.stderr)
        return 2
    count, out = int(argv[1]), Path(argv[2])
    make_corpus(count, out)
    print(f"Đã tạo {count} mục trong {out / 'content'}")
    return 0


def make_corpus(count: int, out: Path, seed: int = 2025) -> None:
    rng = random.Random(seed + count)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "models").mkdir(parents=True)
    (content / "events").mkdir(parents=True)
    shutil.copy(REPO / "content" / "places.yml", content / "places.yml")
    registry = load_places(content / "places.yml", REPO)
    districts = registry.districts()
    old_wards = {d.id: [w for w in registry.wards_of(d.id)] for d in districts}
    new_wards = [p for p in registry.places.values() if p.is_new]
    models: list[tuple[str, str]] = []  # (id, district id) of models written so far
    n_events = max(1, count // 20)
    for i in range(count - n_events):
        models.append(write_model(i, rng, content, districts, old_wards, new_wards, models))
    for j in range(n_events):
        write_event(j, rng, content, districts, models)


def make_dvk_project(project: Path, count: int) -> Path:
    """A buildable dvk project at `project` (made): the repository's mkdocs.yml and theme,
    an empty docs/ and a corpus of `count` entries."""
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "theme", project / "theme")
    (project / "docs").mkdir()
    make_corpus(count, project)
    return project


def _place(rng, districts, old_wards, new_wards):
    """(district, ward, year): a new ward alone (2025), or a district with one of its wards or none."""
    if new_wards and rng.random() < 0.08:
        return None, rng.choice(new_wards), 2025
    district = rng.choice(districts)
    wards = old_wards.get(district.id) or []
    ward = rng.choice(wards) if wards and rng.random() < 0.7 else None
    return district, ward, rng.randint(2015, 2024)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_model(i, rng, content, districts, old_wards, new_wards, models) -> tuple[str, str]:
    district, ward, year = _place(rng, districts, old_wards, new_wards)
    where = ward or district
    topic = rng.choice(TOPICS)
    exemplar = rng.random() < 0.12
    entry_id = f"mo-hinh-{i:05d}"
    person = rng.choice(PEOPLE)
    title = f"{person}, {topic.lower()} {where.label}" if exemplar else f"{topic} {where.label}"
    unit = f"{rng.choice(UNITS)} {where.label}"
    field, level = rng.choice(list(FIELDS)), rng.choice(list(LEVELS))
    lines = ["---", f"kind: {'exemplar' if exemplar else 'model'}"]
    if exemplar:
        lines += ["subject: person", f"position: {_q('Tổ trưởng tổ dân phố')}"]
    lines += [f"title: {_q(title)}", f"unit: {_q(unit)}"]
    if district:
        lines.append(f"district: {district.id}")
    if ward:
        lines.append(f"ward: {ward.id}")
    summary = f"{topic} do {unit} thực hiện từ năm {year}: {rng.choice(SENTENCES)}"
    lines += [f"field: {field.id}", f"level: {level.id}", f"year: {year}", f"summary: {_q(summary[:300])}"]
    lines += ["results:", f"  - {_q(f'{rng.randint(20, 900)} hộ gia đình tham gia')}"]
    if rng.random() < 0.3:
        award_level = rng.choice(list(LEVELS))
        lines += ["awards:", f"  - title: {_q('Giấy khen của ' + (district.label if district else where.label))}", f"    level: {award_level.id}", f"    year: {year}"]
    if models and rng.random() < 0.1:
        lines.append(f"related: [{rng.choice(models)[0]}]")
    lines += [f"tags: [{_q(field.label)}]", "---"]
    body = "\n\n".join(" ".join(rng.sample(SENTENCES, 3)) for _ in range(3))
    folder = content / "models" / ((district.id if district else where.id))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{entry_id}.md").write_text("\n".join(lines) + "\n## Cách làm\n\n" + body + "\n", encoding="utf-8")
    return entry_id, district.id if district else ""


def write_event(j, rng, content, districts, models) -> None:
    district = rng.choice(districts)
    kind = rng.choice(list(EVENT_TYPES))
    year = rng.randint(2015, 2024)
    title = f"{kind.label} “Dân vận khéo” {district.label} năm {year}"
    lines = ["---", f"title: {_q(title)}", f"type: {kind.id}", f"date: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", f"district: {district.id}", f"organizer: {_q('Quận ủy ' + district.name)}"]
    lines.append(f"summary: {_q(f'{kind.label} của {district.label} năm {year}, biểu dương các mô hình, điển hình tiêu biểu.')}")
    local = [m for m, d in models if d == district.id][:6]
    if kind.id == "hoi-thi" and local:
        lines.append("results:")
        ranks = list(RANKS)
        for k, model_id in enumerate(local[:4]):
            lines.append(f"  - {{rank: {ranks[min(k, 3)].id}, recipient: {model_id}}}")
    lines += ["figures:", f"  mo_hinh_dang_ky: {rng.randint(50, 900)}", f"  tap_the_khen_thuong: {rng.randint(3, 40)}", "---", " ".join(rng.sample(SENTENCES, 4))]
    folder = content / "events" / district.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"su-kien-{j:05d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
