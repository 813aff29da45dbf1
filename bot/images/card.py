"""Draw the progress card as a PNG: large type, high contrast, its own solid background.

The card is light with a dark frame, so it reads the same in Telegram's light and dark themes
(the frame marks its edge on a white chat, the light face stands out on a dark one). Every text
colour has a contrast of at least 4.5:1 with the face, and the bars at least 3:1 with their
track (`tests/unit/test_card_image.py` computes both). The font is Pillow's bundled scalable
default, so the card looks the same on every machine and in the Docker image.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.core import wording
from bot.core.card import RGB, CardFacts, date_label

WIDTH, HEIGHT = 1080, 1350  # 4:5, the tallest shape Telegram shows uncropped in a chat
FACE: RGB = (250, 248, 243)
FRAME: RGB = (23, 43, 77)
INK: RGB = (20, 24, 31)  # titles and numbers
MUTED: RGB = (74, 82, 96)  # labels
BAR: RGB = (30, 90, 170)
TRACK: RGB = (214, 221, 231)
TILE: RGB = (236, 240, 246)
TEXT_COLOURS = {"ink": INK, "muted": MUTED, "frame_on_face": FRAME}

FRAME_WIDTH = 18
MARGIN = 70
TILE_GAP = 24


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at a size (loading it costs more than drawing a card)."""
    return ImageFont.load_default(size=size)


def render_card(facts: CardFacts) -> bytes:
    """The card for these facts, as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), FRAME)
    draw = ImageDraw.Draw(image)
    draw.rectangle(
        (FRAME_WIDTH, FRAME_WIDTH, WIDTH - FRAME_WIDTH - 1, HEIGHT - FRAME_WIDTH - 1), fill=FACE
    )
    draw.text((MARGIN, 60), "Your progress", font=font(76), fill=INK)
    draw.text((MARGIN, 150), date_label(facts.as_of), font=font(34), fill=MUTED)
    bottom = _tiles(draw, facts, top=215)
    draw.text((MARGIN, bottom + 34), "Mastery by topic", font=font(44), fill=INK)
    _topics(draw, facts, top=bottom + 104)
    out = io.BytesIO()
    # Flat colours compress well even at a low level, which keeps the render fast.
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def _tile_values(facts: CardFacts) -> list[tuple[str, str, str]]:
    """(label, big value, small line) per tile."""
    answers = (
        ("Answers", str(facts.answered), f"{facts.accuracy_percent}% right")
        if facts.answered
        else ("Answers", "0", "try /quiz")
    )
    tiles = [
        # The number alone is big; its unit goes on the small line, so four tiles still fit.
        (
            "Streak",
            str(facts.streak_current),
            f"{_unit(facts.streak_current)} · best {facts.streak_best}",
        ),
        answers,
        ("Reviews due", str(facts.reviews_due), "to /review" if facts.reviews_due else "none"),
    ]
    if facts.actions_done is not None:
        tiles.append(("Actions done", str(facts.actions_done), "this far"))
    return tiles


def _unit(count: int) -> str:
    """ "day" or "days" for a count shown on its own: the plural phrase without its number."""
    return wording.days(count).removeprefix(str(count)).strip()


def _tiles(draw: ImageDraw.ImageDraw, facts: CardFacts, top: int) -> int:
    """The headline numbers in a row of tiles; returns the row's bottom."""
    tiles = _tile_values(facts)
    width = (WIDTH - 2 * MARGIN - TILE_GAP * (len(tiles) - 1)) // len(tiles)
    height = 200
    for index, (label, value, note) in enumerate(tiles):
        left = MARGIN + index * (width + TILE_GAP)
        draw.rounded_rectangle((left, top, left + width, top + height), radius=22, fill=TILE)
        draw.text((left + 26, top + 20), label, font=font(32), fill=MUTED)
        draw.text((left + 26, top + 66), fit_text(value, 64, width - 52), font=font(64), fill=INK)
        draw.text(
            (left + 26, top + 146), fit_text(note, 30, width - 52), font=font(30), fill=MUTED
        )
    return top + height


def _topics(draw: ImageDraw.ImageDraw, facts: CardFacts, top: int) -> None:
    """One row per topic: title and count above a bar; rows share the space that is left."""
    if not facts.topics:
        draw.text((MARGIN, top), "No topics yet.", font=font(36), fill=MUTED)
        return
    bottom = HEIGHT - FRAME_WIDTH - 40
    row = min(120, (bottom - top) // len(facts.topics))
    size = max(22, min(40, row * 58 // 100))
    bar_height = max(8, row // 6)
    count_width = int(font(size).getlength("00/00")) + 12
    text_width = WIDTH - 2 * MARGIN - count_width
    for index, topic in enumerate(facts.topics):
        y = top + index * row
        draw.text((MARGIN, y), fit_text(topic.title, size, text_width), font=font(size), fill=INK)
        count = f"{topic.mastered}/{topic.total}"
        draw.text((WIDTH - MARGIN, y), count, font=font(size), fill=INK, anchor="ra")
        bar_top = y + size + max(5, row // 10)
        box = (MARGIN, bar_top, WIDTH - MARGIN, bar_top + bar_height)
        draw.rounded_rectangle(box, radius=bar_height // 2, fill=TRACK)
        filled = round((WIDTH - 2 * MARGIN) * topic.fraction)
        if filled:
            end = max(MARGIN + bar_height, MARGIN + filled)
            draw.rounded_rectangle(
                (MARGIN, bar_top, end, bar_top + bar_height), radius=bar_height // 2, fill=BAR
            )


def fit_text(text: str, size: int, width: int) -> str:
    """The text, shortened with an ellipsis if it would run past `width` pixels."""
    face = font(size)
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
