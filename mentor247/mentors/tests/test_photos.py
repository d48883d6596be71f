"""Uploaded photos are stored as pixels alone: nothing else of the uploaded file survives."""

import io
import struct

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from mentor247.mentors.photos import SIZES, photo_name, store_photo

# What a baseline JPEG needs to show its pixels: JFIF's header, quantisation and Huffman
# tables, the frame, restart intervals and the scan.
PIXEL_SEGMENTS = {"APP0", "DQT", "DHT", "SOF0", "SOF1", "SOF2", "DRI", "SOS"}
JFIF_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
SECRET = b"Home: 27.7172 N, 85.3240 E"


def segments(jpeg: bytes) -> list[tuple[str, bytes]]:
    """The marker segments of a JPEG before its compressed data: (name, payload)."""
    names = {0xC0: "SOF0", 0xC1: "SOF1", 0xC2: "SOF2", 0xC4: "DHT", 0xDA: "SOS", 0xDB: "DQT"}
    names |= {0xDD: "DRI", 0xFE: "COM"} | {0xE0 + n: f"APP{n}" for n in range(16)}
    assert jpeg[:2] == b"\xff\xd8"
    found, at = [], 2
    while True:
        marker = jpeg[at + 1]
        (length,) = struct.unpack(">H", jpeg[at + 2 : at + 4])
        found.append((names.get(marker, hex(marker)), jpeg[at + 4 : at + 2 + length]))
        if marker == 0xDA:  # the compressed data follows
            return found
        at += 2 + length


def jpeg_with_everything() -> bytes:
    """A camera's JPEG: a comment, EXIF with the place it was taken, XMP, a colour profile."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (27.0, 43.0, 2.0), 3: "E", 4: (85.0, 19.0, 26.0)}  # GPS
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>"
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (40, 120, 180)).save(
        buffer, format="JPEG", comment=SECRET, exif=exif, xmp=xmp, icc_profile=profile
    )
    return buffer.getvalue()


def png_with_text() -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("comment", SECRET.decode())
    text.add_itxt("Description", SECRET.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (40, 120, 180)).save(buffer, format="PNG", pnginfo=text)
    return buffer.getvalue()


def stored(key: str) -> list[bytes]:
    files = []
    for size in SIZES:
        with default_storage.open(photo_name(key, size)) as file:
            files.append(file.read())
    return files


@pytest.mark.parametrize(
    ("data", "name"), [(jpeg_with_everything(), "me.jpg"), (png_with_text(), "me.png")]
)
def test_photos_are_stored_without_anything_but_their_pixels(data: bytes, name: str) -> None:
    assert data.count(SECRET) >= 2  # the upload carries it, more than once

    key = store_photo(SimpleUploadedFile(name, data, content_type="image/jpeg"))

    for jpeg in stored(key):
        assert SECRET not in jpeg
        assert b"CameraMaker" not in jpeg
        kinds = [kind for kind, _payload in segments(jpeg)]
        assert set(kinds) <= PIXEL_SEGMENTS, kinds
        assert dict(segments(jpeg))["APP0"].startswith(b"JFIF\0")
        assert set(Image.open(io.BytesIO(jpeg)).info) <= JFIF_INFO


def jpeg_with_profile(profile: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 30, 60)).save(
        buffer, format="JPEG", quality=95, icc_profile=profile
    )
    return buffer.getvalue()


@pytest.mark.parametrize(
    "profile",
    [
        ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
        b"not a colour profile at all",
    ],
    ids=["srgb", "unreadable"],
)
def test_a_photo_keeps_its_colours_without_its_profile(profile: bytes) -> None:
    key = store_photo(SimpleUploadedFile("me.jpg", jpeg_with_profile(profile)))

    for jpeg in stored(key):
        assert "APP2" not in dict(segments(jpeg))
        pixel = Image.open(io.BytesIO(jpeg)).convert("RGB").getpixel((10, 10))
        assert isinstance(pixel, tuple)
        assert max(abs(got - want) for got, want in zip(pixel, (200, 30, 60), strict=True)) <= 4
