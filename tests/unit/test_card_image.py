"""The card's PNG: the size and format Telegram gets, and colours readable by anyone."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from bot.core.card import CardFacts, TopicBar, contrast_ratio
from bot.images import card as card_image
from bot.images.card import BAR, FACE, HEIGHT, TEXT_COLOURS, TILE, TRACK, render_card


def full_card(bank) -> CardFacts:
    topics = tuple(
        TopicBar(t.title, len(bank.questions_in(t.id)) // 2, len(bank.questions_in(t.id)))
        for t in bank.topics
    )
    return CardFacts(date(2026, 3, 10), 12, 30, 480, 81, 7, topics, actions_done=5)


def test_text_colours_have_at_least_4_5_to_1_on_the_card_and_its_tiles() -> None:
    for name, colour in TEXT_COLOURS.items():
        for background in (FACE, TILE):
            assert contrast_ratio(colour, background) >= 4.5, (name, background)


def test_bars_stand_out_from_their_track_and_the_card() -> None:
    assert contrast_ratio(BAR, TRACK) >= 3.0  # WCAG's minimum for graphics
    assert contrast_ratio(BAR, FACE) >= 3.0


def test_frame_marks_the_edge_on_light_and_dark_themes() -> None:
    white_chat, dark_chat = (255, 255, 255), (24, 34, 45)
    assert contrast_ratio(card_image.FRAME, white_chat) >= 3.0
    assert contrast_ratio(FACE, dark_chat) >= 3.0


def test_card_is_a_decodable_png_of_the_expected_size(content_bank) -> None:
    for facts in (full_card(content_bank), CardFacts(date(2026, 3, 10), 0, 0, 0, 0, 0, ())):
        data = render_card(facts)
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG"
        assert image.size == (card_image.WIDTH, HEIGHT)
        image.load()
        assert len(data) < 10 * 1024 * 1024


def test_mastery_shows_as_bar_length(content_bank) -> None:
    """A topic at 0 leaves its bar empty; one fully mastered fills it to the right margin."""
    empty = CardFacts(date(2026, 3, 10), 0, 0, 0, 0, 0, (TopicBar("A", 0, 4),))
    full = CardFacts(date(2026, 3, 10), 0, 0, 0, 0, 0, (TopicBar("A", 4, 4),))

    def bar_pixels(facts: CardFacts) -> int:
        image = Image.open(io.BytesIO(render_card(facts))).convert("RGB")
        colours = image.getcolors(maxcolors=1 << 20) or []
        return sum(count for count, colour in colours if colour == BAR)

    assert bar_pixels(empty) == 0
    assert bar_pixels(full) > 0


def test_long_titles_are_shortened_not_run_off_the_card() -> None:
    title = "An extremely long topic title that would never fit on one line of the card at all"
    assert card_image.fit_text(title, 40, 500).endswith("…")
    assert card_image.font(40).getlength(card_image.fit_text(title, 40, 500)) <= 500
    assert card_image.fit_text("Short", 40, 500) == "Short"
