"""The bundled sample showcase is clean and covers what the foundation issue asks for."""

from conftest import REPO, run_dvk
from generator.derive import derive_site
from generator.validate import validate_content


def test_sample_validates_with_no_error_and_no_warning():
    result = run_dvk("validate", "--strict", cwd=REPO)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(": 0 lỗi, 0 cảnh báo.")


def test_sample_covers_districts_fields_levels_and_events():
    content = validate_content(REPO)
    site = derive_site(content.entries, content.places)
    assert len(site.entries) >= 30
    assert len(site.districts()) >= 6
    assert all(site.by_field[t] for t in site.by_field)
    assert all(site.by_level[t] for t in site.by_level)
    contest = site.get("hoi-thi-dan-van-kheo-nam-tu-liem-2024")
    assert contest.date.isoformat() == "2024-07-31" and len(contest.results) >= 10
    assert any(r.recipient_id for r in contest.results)
    assert all(e.sources for e in site.entries.values())


def test_registry_has_all_30_pre_2025_districts():
    content = validate_content(REPO)
    districts = content.places.districts()
    assert len(districts) == 30
    assert sorted(p.type for p in districts).count("quận") == 12
    assert sorted(p.type for p in districts).count("huyện") == 17
