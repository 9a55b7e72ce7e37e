"""Draw the sample content's illustrations with Pillow: certificates, ceremonies, activities.

Why drawn and not photographed: the sample site needs award and event pictures that are
free of copyright and of real people's faces. They are rendered at phone-photo size
(4000×3000 and 3000×2000 JPEG, quality 85) with a little sensor-like grain, so that the
image pipeline has real work to do and the benchmark's byte figures mean something.
Every certificate carries a "MINH HỌA" seal so no one mistakes it for a real document.

Reproducible: fixed seeds, fixed font (Be Vietnam Pro from the fontpkg package).
    .venv/bin/python bench/make_sample_images.py          # writes into content/
    .venv/bin/python bench/make_sample_images.py --out /tmp/x
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path

import fontpkg_be_vietnam_pro
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = Path(fontpkg_be_vietnam_pro.__file__).parent / "files"
RED = (178, 24, 30)
DARK_RED = (120, 12, 18)
GOLD = (212, 165, 55)
LIGHT_GOLD = (240, 210, 120)
PAPER = (252, 246, 228)
INK = (40, 30, 30)
CREDIT = "Minh họa: nhóm dvk"


def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"BeVietnamPro-{weight}.ttf"), size)


def centered(draw: ImageDraw.ImageDraw, cx: int, y: int, text: str, fnt, fill) -> int:
    """Draw `text` centred on cx with its top at y; return the y below it."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
    draw.text((cx - (right - left) // 2 - left, y - top), text, font=fnt, fill=fill)
    return y + (bottom - top)


def wrap(draw, text: str, fnt, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=fnt) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + [line] if line else lines


def star(draw, cx, cy, r, fill):
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.382
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def grain(image: Image.Image, rng: random.Random, amount: int = 5) -> Image.Image:
    """Soft sensor-like noise so the picture compresses like a photo, not like clip art."""
    noise = Image.effect_noise((image.width // 2, image.height // 2), amount * 4).resize(image.size, Image.Resampling.BILINEAR)
    noise_rgb = Image.merge("RGB", (noise, noise, noise))
    return Image.blend(image, noise_rgb, amount / 100)


# -- certificates ----------------------------------------------------------------------
def certificate(kind: str, issuer: str, recipient: str, reason: str, place_date: str, signer: str, seed: int) -> Image.Image:
    """A Bằng khen / Giấy khen lying on a table, photographed slightly askew."""
    rng = random.Random(seed)
    w, h = 2970, 2100  # A4 landscape at ~254 dpi
    paper = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(paper)
    # red outer band, gold inner rules, corner ornaments
    d.rectangle((0, 0, w - 1, h - 1), outline=RED, width=70)
    d.rectangle((90, 90, w - 91, h - 91), outline=GOLD, width=14)
    d.rectangle((125, 125, w - 126, h - 126), outline=GOLD, width=5)
    for x in range(170, w - 170, 90):  # gold lozenge frieze top and bottom
        for y in (150, h - 150):
            d.polygon([(x, y - 14), (x + 14, y), (x, y + 14), (x - 14, y)], fill=LIGHT_GOLD)
    for cx, cy in ((200, 200), (w - 200, 200), (200, h - 200), (w - 200, h - 200)):
        d.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), fill=RED, outline=GOLD, width=8)
        star(d, cx, cy, 42, LIGHT_GOLD)
    cx = w // 2
    # emblem: gold star in a red disc (a plain motif, not a state emblem)
    d.ellipse((cx - 110, 230, cx + 110, 450), fill=RED, outline=GOLD, width=12)
    star(d, cx, 340, 80, LIGHT_GOLD)
    y = centered(d, cx, 490, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font("Bold", 62), INK) + 22
    y = centered(d, cx, y, "Độc lập - Tự do - Hạnh phúc", font("SemiBold", 56), INK) + 60
    y = centered(d, cx, y, issuer.upper(), font("Bold", 66), INK) + 30
    y = centered(d, cx, y, kind.upper(), font("ExtraBold", 210), RED) + 50
    y = centered(d, cx, y, "Tặng", font("Italic", 62), INK) + 30
    for line in wrap(d, recipient, font("Bold", 92), w - 600):
        y = centered(d, cx, y, line, font("Bold", 92), DARK_RED) + 24
    y += 26
    for line in wrap(d, reason, font("Regular", 60), w - 700):
        y = centered(d, cx, y, line, font("Regular", 60), INK) + 20
    # date and signature block, bottom right; "MINH HỌA" seal under the signature
    sx = int(w * 0.72)
    sy = h - 560
    centered(d, sx, sy, place_date, font("Italic", 52), INK)
    centered(d, sx, sy + 90, signer, font("Bold", 54), INK)
    seal = Image.new("RGBA", (380, 380), (0, 0, 0, 0))
    sd = ImageDraw.Draw(seal)
    sd.ellipse((10, 10, 370, 370), outline=(200, 30, 40, 200), width=16)
    sd.ellipse((60, 60, 320, 320), outline=(200, 30, 40, 200), width=6)
    star(sd, 190, 150, 50, (200, 30, 40, 200))
    centered(sd, 190, 225, "MINH HỌA", font("Bold", 46), (200, 30, 40, 210))
    seal = seal.rotate(rng.uniform(-20, 20), resample=Image.Resampling.BICUBIC)
    paper.paste(seal, (sx - 330, sy + 40), seal)
    centered(d, sx, sy + 390, "(đã ký)", font("Italic", 46), INK)
    return on_table(paper, rng, (4000, 3000))


def on_table(paper: Image.Image, rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Lay `paper` on a wooden table with a soft shadow and a slight tilt, as a phone sees it."""
    w, h = size
    table = Image.new("RGB", (w, h))
    td = ImageDraw.Draw(table)
    for y in range(h):  # warm wood gradient with grain stripes
        shade = 0.85 + 0.15 * math.sin(y / 37.0 + rng.random() * 0.2) * math.sin(y / 311.0)
        base = 150 - 40 * y / h
        td.line((0, y, w, y), fill=(int(base * shade + 30), int(base * 0.62 * shade + 10), int(base * 0.35 * shade)))
    scale = min((w * 0.86) / paper.width, (h * 0.86) / paper.height)
    sheet = paper.resize((int(paper.width * scale), int(paper.height * scale)), Image.Resampling.LANCZOS)
    angle = rng.uniform(-2.5, 2.5)
    mask = Image.new("L", sheet.size, 255).rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    sheet = sheet.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    x, y = (w - sheet.width) // 2, (h - sheet.height) // 2
    shadow = Image.new("L", (w, h), 0)
    shadow.paste(mask, (x + 35, y + 45))
    shadow = shadow.filter(ImageFilter.GaussianBlur(40))
    table = Image.composite(Image.new("RGB", (w, h), (35, 22, 12)), table, shadow.point(lambda v: v * 6 // 10))
    table.paste(sheet, (x, y), mask)
    light = Image.radial_gradient("L").resize((w, h)).point(lambda v: 255 - v // 4)
    table = Image.composite(table, Image.new("RGB", (w, h), (0, 0, 0)), light)
    return grain(table, rng)


# -- scenes --------------------------------------------------------------------------
def person(d, x, y, scale, shirt, rng, holding=None):
    """A simple standing figure (no faces): head, body, legs; optional certificate or flowers."""
    s = scale
    d.rounded_rectangle((x - 34 * s, y - 120 * s, x + 34 * s, y + 60 * s), radius=22 * s, fill=shirt)
    d.rectangle((x - 30 * s, y + 55 * s, x - 4 * s, y + 190 * s), fill=(45, 45, 60))
    d.rectangle((x + 4 * s, y + 55 * s, x + 30 * s, y + 190 * s), fill=(45, 45, 60))
    d.ellipse((x - 26 * s, y - 180 * s, x + 26 * s, y - 124 * s), fill=(224, 180, 150))
    d.chord((x - 28 * s, y - 184 * s, x + 28 * s, y - 130 * s), 180, 360, fill=(30, 25, 25))
    if holding == "certificate":
        d.rectangle((x - 40 * s, y - 70 * s, x + 40 * s, y - 12 * s), fill=PAPER, outline=RED, width=max(2, int(5 * s)))
    elif holding == "flowers":
        for _ in range(7):
            fx, fy = x + rng.uniform(-30, 30) * s, y - 80 * s + rng.uniform(-25, 15) * s
            d.ellipse((fx - 11 * s, fy - 11 * s, fx + 11 * s, fy + 11 * s), fill=rng.choice([(230, 60, 90), (250, 200, 60), (245, 245, 240)]))


def stage(banner_top: str, banner_main: str, banner_sub: str, seed: int, awardees: int = 6, size=(4000, 3000)) -> Image.Image:
    """A hội trường stage: red backdrop with the event banner, awardees in a row, audience heads."""
    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", (w, h), (30, 20, 25))
    d = ImageDraw.Draw(img)
    back = (int(w * 0.06), int(h * 0.08), int(w * 0.94), int(h * 0.62))
    for i in range(back[1], back[3]):  # backdrop gradient
        t = (i - back[1]) / (back[3] - back[1])
        d.line((back[0], i, back[2], i), fill=(int(200 - 60 * t), int(30 - 10 * t), int(40 - 15 * t)))
    cx = w // 2
    star(d, cx, back[1] + int(h * 0.05), int(h * 0.035), LIGHT_GOLD)
    y = centered(d, cx, back[1] + int(h * 0.1), banner_top, font("Bold", int(h * 0.026)), LIGHT_GOLD) + int(h * 0.02)
    main_font = font("ExtraBold", int(h * 0.045))
    for line in wrap(d, banner_main, main_font, int((back[2] - back[0]) * 0.85)):
        y = centered(d, cx, y, line, main_font, (255, 236, 160)) + int(h * 0.015)
    centered(d, cx, y + int(h * 0.01), banner_sub, font("SemiBold", int(h * 0.025)), LIGHT_GOLD)
    floor = int(h * 0.62)
    d.rectangle((0, floor, w, int(h * 0.72)), fill=(110, 70, 45))
    d.rectangle((0, int(h * 0.72), w, h), fill=(50, 35, 35))
    for i in range(12):  # flower pots along the stage edge
        px = int(w * (0.04 + i * 0.083))
        d.ellipse((px - 70, floor + 60, px + 70, floor + 170), fill=(40, 110, 50))
        for _ in range(6):
            fx, fy = px + rng.randint(-55, 55), floor + rng.randint(60, 120)
            d.ellipse((fx - 16, fy - 16, fx + 16, fy + 16), fill=rng.choice([(230, 200, 40), (235, 80, 90), (250, 250, 240)]))
    step = (back[2] - back[0]) / (awardees + 1)
    for i in range(awardees):  # awardees: shirts in Đoàn/Hội colours, holding certificates
        px = int(back[0] + step * (i + 1))
        scale = h / 2000
        person(d, px, floor + int(h * 0.05) - int(190 * scale), scale, rng.choice([(250, 250, 250), (40, 90, 160), (220, 200, 80), (60, 140, 90)]), rng, "certificate" if i % 2 == 0 else "flowers")
    for row in range(3):  # audience heads in the foreground
        for i in range(16):
            hx = int(w * (i / 15) + rng.randint(-40, 40) + (row % 2) * 120)
            hy = h - int(h * 0.04) - row * int(h * 0.07)
            r = int(h * 0.045)
            d.ellipse((hx - r, hy - r, hx + r, hy + int(r * 1.2)), fill=(22 + row * 6, 18 + row * 5, 18 + row * 5))
    glow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(glow).ellipse((int(w * 0.2), int(-h * 0.2), int(w * 0.8), int(h * 0.7)), fill=70)
    img = Image.composite(Image.new("RGB", (w, h), (255, 240, 210)), img, glow.filter(ImageFilter.GaussianBlur(200)))
    return grain(img, rng, 6)


def one_stop_counter(seed: int, size=(3000, 2000)) -> Image.Image:
    """A ward's one-stop counter: sign, desks, officials and residents (no faces)."""
    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", (w, h), (236, 232, 220))
    d = ImageDraw.Draw(img)
    d.rectangle((0, int(h * 0.68), w, h), fill=(190, 170, 140))
    d.rectangle((int(w * 0.15), int(h * 0.06), int(w * 0.85), int(h * 0.2)), fill=(25, 70, 140))
    centered(d, w // 2, int(h * 0.085), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", font("Bold", int(h * 0.04)), (255, 255, 255))
    centered(d, w // 2, int(h * 0.145), "“Ngày không giấy hẹn” — nhận kết quả ngay trong ngày", font("SemiBold", int(h * 0.028)), (255, 230, 140))
    for i in range(4):  # counters with number plates
        x0 = int(w * (0.06 + i * 0.235))
        person(d, x0 + int(w * 0.1), int(h * 0.47), h / 1700, (40, 90, 160), rng)  # official behind the desk
        d.rectangle((x0, int(h * 0.5), x0 + int(w * 0.2), int(h * 0.72)), fill=(150, 110, 70))
        d.rectangle((x0 + 20, int(h * 0.27), x0 + int(w * 0.2) - 20, int(h * 0.33)), fill=(250, 250, 250), outline=(25, 70, 140), width=6)
        centered(d, x0 + int(w * 0.1), int(h * 0.28), f"Quầy {i + 1}", font("Bold", int(h * 0.03)), (25, 70, 140))
        d.rectangle((x0 + int(w * 0.05), int(h * 0.46), x0 + int(w * 0.15), int(h * 0.5)), fill=(30, 30, 30))  # monitor
        person(d, x0 + int(w * 0.1) + rng.randint(-60, 60), int(h * 0.8), h / 1100, rng.choice([(200, 80, 80), (90, 150, 90), (230, 200, 120), (120, 120, 180)]), rng, "certificate" if i % 2 else None)
    return grain(img, rng, 5)


def green_weekend(seed: int, size=(3000, 2000)) -> Image.Image:
    """Residents cleaning a lakeside path on a Saturday morning: trees, brooms, bins."""
    rng = random.Random(seed)
    w, h = size
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        d.line((0, y, w, y), fill=(int(150 + 80 * t), int(200 + 30 * t), int(240 - 20 * t)) if t < 0.45 else (int(120 - 30 * t), int(150 - 30 * t), int(90 - 20 * t)))
    d.rectangle((0, int(h * 0.45), w, int(h * 0.55)), fill=(90, 140, 170))  # lake
    d.polygon([(0, h), (w * 0.35, int(h * 0.55)), (w * 0.65, int(h * 0.55)), (w, h)], fill=(200, 190, 170))  # path
    for i in range(9):
        tx = int(w * (0.03 + i * 0.12)) + rng.randint(-30, 30)
        d.rectangle((tx - 18, int(h * 0.3), tx + 18, int(h * 0.58)), fill=(90, 60, 40))
        for _ in range(5):
            r = rng.randint(90, 150)
            ox, oy = tx + rng.randint(-80, 80), int(h * 0.25) + rng.randint(-60, 60)
            d.ellipse((ox - r, oy - r, ox + r, oy + r), fill=(40 + rng.randint(0, 40), 120 + rng.randint(0, 50), 50))
    d.rectangle((int(w * 0.18), int(h * 0.05), int(w * 0.82), int(h * 0.14)), fill=(20, 110, 60), outline=(255, 255, 255), width=8)
    centered(d, w // 2, int(h * 0.075), "NGÀY CUỐI TUẦN XANH — PHƯỜNG ĐỊNH CÔNG", font("Bold", int(h * 0.034)), (255, 255, 255))
    for i in range(7):
        px = int(w * (0.12 + i * 0.12)) + rng.randint(-40, 40)
        py = int(h * (0.72 + 0.12 * (i % 2)))
        person(d, px, py, h / 1300, rng.choice([(40, 150, 70), (250, 250, 250), (40, 90, 160)]), rng)
        d.line((px + 30, py - 60, px + 90, py + 150), fill=(120, 80, 40), width=10)  # broom
    for bx in (int(w * 0.06), int(w * 0.92)):
        d.rounded_rectangle((bx - 60, int(h * 0.78), bx + 60, int(h * 0.95)), radius=20, fill=(30, 120, 60))
    return grain(img, rng, 5)


# -- what goes where -----------------------------------------------------------------
NTL = "content/models/nam-tu-liem/anh"
CERT_REASON = "Đã đạt {rank} Hội thi “Dân vận khéo” quận Nam Từ Liêm năm 2024"
CERT_DATE = "Nam Từ Liêm, ngày 31 tháng 7 năm 2024"
SAMPLES = {
    f"{NTL}/giay-khen-giai-nhat-xuan-phuong.jpg": lambda: certificate("Giấy khen", "Ban Thường vụ Quận ủy Nam Từ Liêm", "Tổ Dân vận phường Xuân Phương", CERT_REASON.format(rank="Giải Nhất"), CERT_DATE, "T/M BAN THƯỜNG VỤ QUẬN ỦY", 11),
    f"{NTL}/giay-khen-giai-nhi-phuong-canh.jpg": lambda: certificate("Giấy khen", "Ban Thường vụ Quận ủy Nam Từ Liêm", "Tổ Dân vận phường Phương Canh", CERT_REASON.format(rank="Giải Nhì"), CERT_DATE, "T/M BAN THƯỜNG VỤ QUẬN ỦY", 12),
    f"{NTL}/giay-khen-giai-nhi-phu-do.jpg": lambda: certificate("Giấy khen", "Ban Thường vụ Quận ủy Nam Từ Liêm", "Tổ Dân vận phường Phú Đô", CERT_REASON.format(rank="Giải Nhì"), CERT_DATE, "T/M BAN THƯỜNG VỤ QUẬN ỦY", 13),
    f"{NTL}/giay-khen-giai-ba-my-dinh-1.jpg": lambda: certificate("Giấy khen", "Ban Thường vụ Quận ủy Nam Từ Liêm", "Tổ Dân vận phường Mỹ Đình 1", CERT_REASON.format(rank="Giải Ba"), CERT_DATE, "T/M BAN THƯỜNG VỤ QUẬN ỦY", 14),
    f"{NTL}/giay-khen-giai-ba-tay-mo.jpg": lambda: certificate("Giấy khen", "Ban Thường vụ Quận ủy Nam Từ Liêm", "Tổ Dân vận phường Tây Mỗ", CERT_REASON.format(rank="Giải Ba"), CERT_DATE, "T/M BAN THƯỜNG VỤ QUẬN ỦY", 15),
    f"{NTL}/giay-khen-giai-ba-cau-dien.jpg": lambda: certificate("Giấy khen", "Ban Thường vụ Quận ủy Nam Từ Liêm", "Tổ Dân vận phường Cầu Diễn", CERT_REASON.format(rank="Giải Ba"), CERT_DATE, "T/M BAN THƯỜNG VỤ QUẬN ỦY", 16),
    "content/models/tay-ho/anh/bang-khen-ban-chi-huy-quan-su-tay-ho.jpg": lambda: certificate("Bằng khen", "Chủ tịch Ủy ban nhân dân thành phố Hà Nội", "Ban Chỉ huy Quân sự quận Tây Hồ", "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2023", "Hà Nội, ngày 19 tháng 1 năm 2024", "CHỦ TỊCH", 17),
    "content/events/anh/hoi-thi-nam-tu-liem-2024-trao-giai.jpg": lambda: stage("QUẬN ỦY NAM TỪ LIÊM", "HỘI THI “DÂN VẬN KHÉO” NĂM 2024", "Chào mừng 70 năm Ngày Giải phóng Thủ đô (10/10/1954 - 10/10/2024)", 21, 6),
    "content/events/anh/hoi-thi-nam-tu-liem-2024-phan-thi.jpg": lambda: stage("QUẬN ỦY NAM TỪ LIÊM", "HỘI THI “DÂN VẬN KHÉO” NĂM 2024", "Phần thi tiểu phẩm của các Tổ Dân vận phường", 22, 3, (3000, 2000)),
    "content/events/anh/bieu-duong-tay-ho-2023.jpg": lambda: stage("QUẬN ỦY TÂY HỒ", "HỘI NGHỊ BIỂU DƯƠNG MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM 2023", "Tây Hồ, ngày 19 tháng 1 năm 2024", 23, 8),
    "content/models/tay-ho/anh/ngay-khong-giay-hen-quay-mot-cua.jpg": lambda: one_stop_counter(31),
    "content/models/hoang-mai/anh/ngay-cuoi-tuan-xanh-dinh-cong.jpg": lambda: green_weekend(41),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="root under which content/... is written (default: the repo)")
    parser.add_argument("--quality", type=int, default=85)
    args = parser.parse_args()
    total = 0
    for rel, make in SAMPLES.items():
        target = args.out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        make().save(target, "JPEG", quality=args.quality, optimize=True)
        size = target.stat().st_size
        total += size
        print(f"{rel}  {size / 1e6:.2f} MB")
    print(f"{len(SAMPLES)} images, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
