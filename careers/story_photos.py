"""A story's photo made safe to publish: Pillow checks it is really an image, then it is
turned upright, shrunk to at most `PHOTO_MAX_SIDE` pixels on its long side and written out
again from its pixels alone, so no EXIF (where the photo was taken, the camera owner's name),
XMP, ICC comment or PNG text chunk of the upload survives."""

import io
import warnings
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ApplicationError

# Large enough for a page 1200 px wide, small enough to load quickly on a phone.
PHOTO_MAX_SIDE = 1200
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# A photo from any phone is under 50 megapixels; past that a small file can be a pixel bomb
# that would take gigabytes to decode.
PHOTO_MAX_PIXELS = 50_000_000
_ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}

NOT_A_PHOTO = "The selected file must be a photo: a JPEG, PNG or WebP image."


class StoryPhotoInvalid(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, field="photo")


@dataclass(frozen=True)
class PreparedPhoto:
    content: bytes
    content_type: str
    width: int
    height: int


def photo_prepare(upload: UploadedFile) -> PreparedPhoto:
    """The upload as a clean JPEG (or a PNG, for an image with transparency), or
    StoryPhotoInvalid saying why not."""
    if not upload.size:
        raise StoryPhotoInvalid("The selected file is empty.")
    if upload.size > PHOTO_MAX_BYTES:
        raise StoryPhotoInvalid(
            f"The selected photo must be smaller than {PHOTO_MAX_BYTES // (1024 * 1024)} MB."
        )
    upload.seek(0)
    content = upload.read()
    try:
        with warnings.catch_warnings():
            # Pillow only warns at its own limit for a large image; here it is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _prepare(content)
    except StoryPhotoInvalid:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise StoryPhotoInvalid(NOT_A_PHOTO) from error


def _prepare(content: bytes) -> PreparedPhoto:
    # verify() reads the whole file's structure without decoding it; the image must then be
    # opened again to be used.
    with Image.open(io.BytesIO(content)) as image:
        if image.format not in _ACCEPTED_FORMATS:
            raise StoryPhotoInvalid(NOT_A_PHOTO)
        if image.width * image.height > PHOTO_MAX_PIXELS:
            raise StoryPhotoInvalid(
                "The selected photo has too many pixels. Choose one under 50 megapixels."
            )
        image.verify()
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        # Turned as the camera meant, since the orientation goes with the rest of the EXIF.
        upright = ImageOps.exif_transpose(image)
        has_transparency = upright.mode in ("RGBA", "LA", "PA") or (
            upright.mode == "P" and "transparency" in upright.info
        )
        mode = "RGBA" if has_transparency else "RGB"
        pixels = upright.convert(mode)
        pixels.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
        # A new image from the pixels alone: convert() keeps the source's info (EXIF, comments,
        # text chunks, the ICC profile), frombytes() starts with none.
        clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if has_transparency:
        clean.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        content_type = "image/jpeg"
    return PreparedPhoto(
        content=out.getvalue(), content_type=content_type, width=clean.width, height=clean.height
    )
