"""Mentor photos: checked, re-encoded without metadata, and stored at fixed sizes.

Nothing of the uploaded file is kept but its pixels: Pillow decodes it, its colours are turned
into sRGB, and new JPEGs are written from the pixels alone, so comments, EXIF (GPS positions,
camera serial numbers), XMP, colour profiles, PNG text and anything hidden in the file are gone.
Files go through Django's storage API (STORAGES["default"]), so object storage can replace the
local folder.
"""

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE = 200
MAX_SIDE = 8000
# Decoding costs memory by pixels, not by file size: a tiny PNG can hold 8000 x 8000.
MAX_PIXELS = 25_000_000
FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
# Square crops, in pixels.
SIZES = {"small": 128, "large": 480}
FOLDER = "mentors"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def photo_name(key: str, size: str) -> str:
    return f"{FOLDER}/{key}-{SIZES[size]}.jpg"


def photo_url(key: str, size: str) -> str:
    return default_storage.url(photo_name(key, size))


def _decoded(upload: UploadedFile) -> Image.Image:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo is larger than %(limit)s MB. Please choose a smaller file.")
            % {"limit": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The photo is larger than %(limit)s MB. Please choose a smaller file.")
            % {"limit": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("That file is not a photo we can read. Please upload a JPEG, PNG or WebP image."),
        code="not_an_image",
    )
    try:
        image = Image.open(io.BytesIO(data), formats=sorted(FORMATS))
        # The size comes from the header, before anything is decoded.
        width, height = image.size
        if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
            raise ValidationError(
                _(
                    "The photo is %(width)s by %(height)s pixels; please use one of at most "
                    "%(limit)s pixels a side."
                )
                % {"width": width, "height": height, "limit": MAX_SIDE},
                code="too_many_pixels",
            )
        if min(width, height) < MIN_SIDE:
            raise ValidationError(
                _(
                    "The photo is %(width)s by %(height)s pixels; please use one of at least "
                    "%(limit)s pixels a side."
                )
                % {"width": width, "height": height, "limit": MIN_SIDE},
                code="too_small",
            )
        # JPEG can decode straight at a fraction of its size; nothing larger is needed.
        image.draft("RGB", (SIZES["large"] * 2, SIZES["large"] * 2))
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise not_an_image from error
    return image


def store_photo(upload: UploadedFile) -> str:
    """Checks `upload` and stores it at every size; returns the key naming the stored photo.

    Raises ValidationError with a message for the person when it is not a usable photo. Slow
    (decoding, resizing, storage): call it outside transactions, then hand the key in.
    """
    image = _decoded(upload)
    # Turned the way the camera was held, before the orientation tag is dropped with the rest.
    image = _in_srgb(ImageOps.exif_transpose(image))
    factor = min(image.size) // (SIZES["large"] * 2)
    if factor > 1:
        image = image.reduce(factor)
    key = secrets.token_hex(12)
    for size, side in SIZES.items():
        square = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
        # Pillow carries an image's metadata (its `info`, such as a JPEG comment) through
        # every operation into what it saves: a new image of the pixels alone carries none.
        pixels = Image.frombytes("RGB", square.size, square.tobytes())
        buffer = io.BytesIO()
        pixels.save(buffer, format="JPEG", quality=85, optimize=True)
        default_storage.save(photo_name(key, size), ContentFile(buffer.getvalue()))
    return key


def _in_srgb(image: Image.Image) -> Image.Image:
    """`image` in RGB, its colour profile (a phone's wide gamut, say) applied to its pixels so
    that it looks the same without one. An unreadable profile is ignored."""
    if profile := image.info.get("icc_profile"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            base = image if image.mode in {"RGB", "CMYK", "L"} else image.convert("RGB")
            converted = ImageCms.profileToProfile(base, source, SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None
        if converted is not None:
            return converted
    return image.convert("RGB")


def delete_photo(key: str) -> None:
    for size in SIZES:
        default_storage.delete(photo_name(key, size))
