"""A document's content without what is written about it inside the file: a PDF's author and
XMP metadata, a photo's EXIF (the camera owner's name, where the photo was taken), a PNG's text
chunks. A registrar who lets the worker see a raiser's document reads what it shows, not what
it carries; those can name the raiser, or their home, when they asked not to be named."""

import io

from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter

from core.errors import ApplicationError


class DocumentUnreadable(ApplicationError):
    """The file could not be read to take its metadata out, so it is not given out."""


def without_metadata(content: bytes, content_type: str) -> bytes:
    """`content` as a file of the same kind that says only what it shows."""
    try:
        if content_type == "application/pdf":
            return _pdf_without_metadata(content)
        if content_type in {"image/jpeg", "image/png"}:
            return _image_without_metadata(content, content_type)
    except Exception as error:  # a damaged file is refused, never given out as it is
        raise DocumentUnreadable(
            "This document cannot be opened safely. Contact the register for a copy."
        ) from error
    raise DocumentUnreadable("This document cannot be opened safely.")


def _pdf_without_metadata(content: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.metadata = None
    writer.xmp_metadata = None
    for page in writer.pages:
        if "/Metadata" in page:
            del page["/Metadata"]
    # The streams the document no longer points at would still be written out.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image_without_metadata(content: bytes, content_type: str) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        # Turned as the camera meant, since the orientation goes with the rest of the EXIF.
        upright = ImageOps.exif_transpose(image)
        mode = "RGB" if content_type == "image/jpeg" else "RGBA"
        pixels = upright.convert(mode)
        # A new image from the pixels alone: convert() keeps the source's info (comments,
        # text chunks), frombytes() starts with none.
        clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if content_type == "image/jpeg":
        clean.save(out, format="JPEG", quality=95)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()
