"""An employer's campaign toolkit: an A4 poster (reportlab) for the campaign or one of its
vacancies, and a share image for social media (Pillow). Both carry the campaign's tracked link,
the poster also as a QR code, so that people who arrive by them are counted in the campaign's
funnel (careers/campaigns_middleware.py).

Renderers are pure, like passports/pdf.py: they take what they print and touch no database.
The QR code is reportlab's own encoder, used for the poster's vector code and, module by module,
for the share image's pixels, so there is one QR implementation. Like the other PDFs, the poster
is untagged: the campaign's web page is its accessible version (docs/decisions/0025)."""

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

from core.pdf import FONT, FONT_BOLD, MARGIN, PAGE_HEIGHT, PAGE_WIDTH

# Large enough to scan from across a corridor: a poster is read on a wall, not in a hand.
POSTER_QR_SIZE = 7 * cm
# The share image's size: what the main social networks show whole in a post (1.91:1).
SHARE_IMAGE_SIZE = (1200, 630)
SHARE_QR_PIXELS = 300
TEAL = colors.HexColor("#00703c")
_TEAL_RGB = (0, 112, 60)

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

POSTER_TITLE = ParagraphStyle(
    "PosterTitle", fontName=FONT_BOLD, fontSize=34, leading=40, textColor=TEAL, spaceAfter=6 * mm
)
POSTER_JOB = ParagraphStyle(
    "PosterJob", fontName=FONT_BOLD, fontSize=24, leading=29, spaceAfter=4 * mm
)
POSTER_BODY = ParagraphStyle(
    "PosterBody", fontName=FONT, fontSize=15, leading=20, spaceAfter=4 * mm
)
POSTER_SMALL = ParagraphStyle("PosterSmall", fontName=FONT, fontSize=11, leading=14)


@dataclass(frozen=True)
class PosterContent:
    campaign_name: str
    message: str
    hashtags: str
    employer: str
    dates: str
    # The tracked link in full (https://…/c/<code>/…), printed and in the QR code.
    link: str
    # For a vacancy's poster: its title and a line each on pay, hours and place.
    job_title: str = ""
    job_lines: tuple[str, ...] = ()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def qr_code(link: str, *, size: float = POSTER_QR_SIZE) -> QrCode:
    """The QR code of a tracked link, as the passport's is made (passports/pdf.py)."""
    return QrCode(link, width=size, height=size, qrLevel="M", qrBorder=4)


class CampaignPosterRenderer:
    """Renders one poster: the campaign's name, the job if there is one, the message, and the
    QR code with the link written under it for anyone who cannot scan it."""

    def render(self, content: PosterContent) -> bytes:
        buffer = io.BytesIO()
        title = (
            f"{content.job_title} at {content.employer}: {content.campaign_name}"
            if content.job_title
            else f"{content.campaign_name} with {content.employer}"
        )
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1, lang="en-GB")
        canvas.setTitle(title)
        canvas.setAuthor(content.employer)
        canvas.setSubject(content.campaign_name)
        canvas.setCreator("Care Register")
        canvas.setViewerPreference("DisplayDocTitle", "true")

        canvas.setFillColor(TEAL)
        canvas.rect(0, PAGE_HEIGHT - 14 * mm, PAGE_WIDTH, 14 * mm, stroke=0, fill=1)

        story = [Paragraph(_escape(content.campaign_name), POSTER_TITLE)]
        if content.job_title:
            story.append(Paragraph(_escape(content.job_title), POSTER_JOB))
            story += [Paragraph(_escape(line), POSTER_BODY) for line in content.job_lines]
        story.append(Paragraph(_escape(content.message), POSTER_BODY))
        story.append(Paragraph(_escape(f"{content.employer}. {content.dates}."), POSTER_BODY))
        if content.hashtags:
            story.append(Paragraph(_escape(content.hashtags), POSTER_SMALL))
        text_top = PAGE_HEIGHT - 24 * mm
        text_bottom = MARGIN + POSTER_QR_SIZE + 22 * mm
        Frame(
            MARGIN,
            text_bottom,
            PAGE_WIDTH - 2 * MARGIN,
            text_top - text_bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        ).addFromList(story, canvas)

        qr_x = (PAGE_WIDTH - POSTER_QR_SIZE) / 2
        # The flowable draws straight onto the page: far quicker than a Drawing of shapes.
        qr_code(content.link).drawOn(canvas, qr_x, MARGIN + 16 * mm)
        canvas.setFont(FONT_BOLD, 13)
        canvas.setFillColor(colors.black)
        canvas.drawCentredString(
            PAGE_WIDTH / 2, MARGIN + 10 * mm, "Scan the code, or type this address:"
        )
        canvas.setFont(FONT, 13)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN + 4 * mm, content.link)
        canvas.linkURL(
            content.link,
            (qr_x, MARGIN + 16 * mm, qr_x + POSTER_QR_SIZE, MARGIN + 16 * mm + POSTER_QR_SIZE),
            relative=0,
        )
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def _font(size: int, *, bold: bool = False):
    path = _DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        attempt = f"{line} {word}".strip()
        if draw.textlength(attempt, font=font) <= width or not line:
            line = attempt
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def qr_image(link: str, *, pixels: int) -> Image.Image:
    """The QR code of `link` as a black-on-white image, from reportlab's encoder."""
    code = qr_code(link).qr
    code.make()
    modules = code.getModuleCount()
    border = 4
    side = modules + 2 * border
    image = Image.new("1", (side, side), 1)
    for row in range(modules):
        for column in range(modules):
            if code.isDark(row, column):
                image.putpixel((column + border, row + border), 0)
    return image.resize((pixels, pixels), Image.Resampling.NEAREST)


def share_image_png(content: PosterContent) -> bytes:
    """A 1200 × 630 PNG: the campaign's name, the job or the message, the employer, the QR
    code and the link written out."""
    width, height = SHARE_IMAGE_SIZE
    image = Image.new("RGB", SHARE_IMAGE_SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 24], fill=_TEAL_RGB)
    text_width = width - SHARE_QR_PIXELS - 120
    y = 60
    for line in _wrapped(draw, content.campaign_name, _font(52, bold=True), text_width)[:2]:
        draw.text((50, y), line, font=_font(52, bold=True), fill=_TEAL_RGB)
        y += 62
    y += 10
    words = content.job_title or content.message
    for line in _wrapped(draw, words, _font(34), text_width)[:5]:
        draw.text((50, y), line, font=_font(34), fill=(11, 12, 12))
        y += 44
    y += 10
    for line in _wrapped(draw, content.employer, _font(30, bold=True), text_width)[:2]:
        draw.text((50, y), line, font=_font(30, bold=True), fill=(11, 12, 12))
        y += 40
    draw.text((50, height - 70), content.link, font=_font(26), fill=(11, 12, 12))
    image.paste(
        qr_image(content.link, pixels=SHARE_QR_PIXELS).convert("RGB"),
        (width - SHARE_QR_PIXELS - 50, (height - SHARE_QR_PIXELS) // 2),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
