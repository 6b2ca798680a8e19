"""Synthetic pictures for the benchmarks, drawn from a seeded random generator: a logo and a photo
that compress like real ones (anti-aliased shapes; a lit scene with sensor noise)."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw, ImageFilter


def draw_logo(rng: random.Random, size: int) -> Image.Image:
    """A flat size x size emblem on transparency: a ring and a few shapes, anti-aliased."""
    big = size * 2  # drawn at twice the size, then reduced: smooth edges

    def at(fraction: float) -> int:
        return round(fraction * big)

    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = tuple(rng.randrange(30, 220) for _ in range(3)) + (255,)
    draw.ellipse((at(0.04), at(0.04), at(0.96), at(0.96)), fill=(255, 255, 255, 255), outline=colour,
                 width=at(0.055))
    for _ in range(rng.randrange(2, 5)):
        centre = (at(rng.uniform(0.25, 0.75)), at(rng.uniform(0.25, 0.75)), at(rng.uniform(0.1, 0.25)))
        draw.regular_polygon(centre, rng.randrange(3, 8), rotation=rng.randrange(360), fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def draw_photo(rng: random.Random, width: int, height: int) -> Image.Image:
    """A camera-like scene: a lit wall, a sign, six counters, a little sensor noise."""
    photo = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    photo = Image.blend(photo, Image.new("RGB", (width, height), tuple(rng.randrange(120, 230) for _ in range(3))), 0.7)
    draw = ImageDraw.Draw(photo)
    draw.rectangle((width // 5, height // 8, width * 4 // 5, height * 7 // 20),
                   fill=tuple(rng.randrange(0, 160) for _ in range(3)))
    counter = width * 3 // 25
    for i in range(6):
        left = width // 15 + i * width * 11 // 75
        draw.rectangle((left, height * 3 // 5, left + counter, height * 9 // 10), fill=(240, 240, 236),
                       outline=(90, 90, 90), width=max(2, width // 375))
    noise = Image.effect_noise((width // 4, height // 4), 18).resize((width, height)).convert("RGB")
    return Image.blend(photo, noise, 0.08).filter(ImageFilter.GaussianBlur(width / 2500))
